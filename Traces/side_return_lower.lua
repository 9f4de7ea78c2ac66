-- tracejit: --jit-eager --jit-param unrollshort=0
-- A side trace that returns below its start frame (RETF): the inner loop's exit continues in the
-- caller (guarding the caller's closure and resume pc), then links to the outer loop's trace.
local function findMax(t)
  local m = t[1]
  for i = 2, #t do
    if t[i] > m then m = t[i] end
  end
  return m
end
local t = {3, 9, 2, 7, 5, 8, 1, 6, 4, 10}
local s = 0
for k = 1, 40 do s = s + findMax(t) end
print(s)
