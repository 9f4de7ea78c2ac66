-- tracejit: --jit-eager --jit-param maxabort=2
-- Abort: calling a vararg Lua function from the loop ("NYI: vararg function"), and a loop in the
-- main chunk (itself vararg) that reads `...` ("NYI: varargs").
local function sum(...)
  local a, b = ...
  return a + b
end
local s = 0
for i = 1, 10 do s = s + sum(i, 1) end
local n = 0
for i = 1, 10 do
  local first = ...
  if first == nil then n = n + 1 end
end
print(s, n)
