-- tracejit: --jit-eager --jit-param unrollshort=0
-- A function trace ends at a loop header of its own function (`-> interpreter`): the loop gets
-- its own trace. A function trace that reaches an inner loop does not abort.
local function total(t)
  local s = 0
  for i = 1, #t do s = s + t[i] end
  return s
end
local t = { 1, 2, 3, 4, 5, 6 }
print(total(t), total(t), total(t))
