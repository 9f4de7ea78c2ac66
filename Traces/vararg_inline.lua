-- tracejit: --hotness=counter --jit-param hotloop=5 --jit-param hotexit=3
-- Vararg functions are inlined with the frame a call gives them: the extra arguments stay where
-- the caller put them, the function and fixed parameters are copied above, and VARG reads them
-- (select("#", ...) and select(i, ...) included). An exit inside such a frame rebuilds it.
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end
local function first(a, ...)
  local b, c = ...
  return a + (b or 0) * 2 + (c or 0) * 3
end
local function pass(...) return ... end
local t = 0
for i = 1, 60 do
  t = t + first(i, i + 1) + first(i) + first(i, 1, 2, 3)
  t = t + pass(i, 5)
  if i > 40 then t = t + sum(i, 2, 3) end
end
print(t)
-- The number of varargs of the loop's own frame is guarded (VARGN): later calls pass more.
local function count(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...)) end
  return s
end
print(count(1, 2, 3, 4, 5, 6, 7, 8), count(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), count(5))
