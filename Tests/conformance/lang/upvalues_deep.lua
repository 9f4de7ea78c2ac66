-- upvalues through several function levels and shared mutation
local function level0()
  local a = 0
  local function level1()
    local b = 10
    local function level2()
      local c = 100
      return function()
        a = a + 1; b = b + 1; c = c + 1
        return a, b, c
      end
    end
    return level2
  end
  return level1, function() return a end
end
local l1, geta = level0()
local l2 = l1()
local f1, f2 = l2(), l2()
print(f1()); print(f1()); print(f2()); print(geta())
-- sibling closures created later still share the same variable
local function mk()
  local shared = {}
  local adders = {}
  for i = 1, 3 do adders[i] = function(v) shared[#shared + 1] = i .. v end end
  return adders, function() return table.concat(shared, ",") end
end
local adders, dump = mk()
adders[1]("a"); adders[3]("b"); adders[2]("c")
print(dump())
-- upvalue captured while still on the stack, then function returns
local function capture_then_modify()
  local v = 1
  local get = function() return v end
  v = 2
  local r1 = get()
  v = 3
  return get, r1
end
local get, r1 = capture_then_modify()
print(r1, get())
-- parameter used as upvalue in recursion
local function rec(n, acc)
  local f = function() return n end
  if n == 0 then return acc end
  acc[#acc + 1] = f
  return rec(n - 1, acc)
end
local list = rec(4, {})
for _, f in ipairs(list) do io.write(f(), " ") end
print()
-- vararg function's locals as upvalues
local function va(...)
  local n = select("#", ...)
  local first = ...
  return function() return n, first end
end
print(va("x", "y", "z")())
