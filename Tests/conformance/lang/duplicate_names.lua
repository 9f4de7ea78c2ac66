-- duplicate parameter and local names: the last one wins
local function f(a, a) return a end
print(f(1, 2))
local x, x = 1, 2
print(x)
local function g(...)
  local a, a, a = ...
  return a
end
print(g("p", "q", "r"))
for i, i in ipairs({"x", "y"}) do io.write(tostring(i), " ") end
print()
local function h(n) local n = n * 2; return n end
print(h(21))
