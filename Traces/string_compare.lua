-- tracejit: --hotness=counter --jit-param hotloop=5 --jit-param hotexit=3
-- String comparisons in a trace: STRCMP gives Lua's string order (bytes, then length) as -1, 0
-- or 1, and the branch is a guard on it against 0 (< and <=, both orders, equal strings).
local words = { "pear", "apple", "fig", "apple", "banana", "app", "kiwi", "fig", "", "zz" }
local lt, le, gt, ge = 0, 0, 0, 0
for i = 1, 200 do
  local a, b = words[i % #words + 1], words[(i * 7) % #words + 1]
  if a < b then lt = lt + 1 end
  if a <= b then le = le + 1 end
  if a > b then gt = gt + 1 end
  if a >= b then ge = ge + 1 end
end
print(lt, le, gt, ge)
