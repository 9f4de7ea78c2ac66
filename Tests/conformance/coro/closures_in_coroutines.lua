-- upvalues shared between a coroutine body and closures outside it
local shared = 0
local co = coroutine.wrap(function()
  local localv = 10
  local get = function() return localv end
  coroutine.yield(get)
  localv = 20
  shared = shared + 1
  coroutine.yield(get)
end)
local g1 = co()
print(g1(), shared)
local g2 = co()
print(g1(), g2(), shared, g1 == g2)
-- coroutine capturing loop variables
local cos = {}
for i = 1, 3 do cos[i] = coroutine.wrap(function() coroutine.yield(i) coroutine.yield(i * 10) end) end
print(cos[1](), cos[2](), cos[3](), cos[1](), cos[3]())
