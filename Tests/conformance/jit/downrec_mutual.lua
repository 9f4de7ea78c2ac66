-- mutual recursion unwinding through frames of two functions
local isodd
local function iseven(n)
  if n == 0 then return true, 0 end
  local r, k = isodd(n - 1)
  return r, k + 1
end
isodd = function(n)
  if n == 0 then return false, 0 end
  local r, k = iseven(n - 1)
  return r, k + 2
end
for _, n in ipairs({ 10, 301, 0, 1, 250, 77 }) do
  local r, k = iseven(n)
  io.write(tostring(r), ":", k, " ")
end
print()

-- f and g call each other from different sites and combine results differently
local g
local function f(n)
  if n <= 1 then return n end
  return g(n - 1) * 2 + f(n - 2) - 1
end
g = function(n)
  if n <= 1 then return 1 - n end
  return f(n - 1) + g(n - 2) * 3
end
print(f(18), g(17), f(3), g(2))

-- three functions in a ring
local b, c
local function a(n) if n == 0 then return 1 end return b(n - 1) + 1 end
b = function(n) if n == 0 then return 2 end return c(n - 1) * 2 % 1009 end
c = function(n) if n == 0 then return 3 end return a(n - 1) + n end
local acc = 0
for i = 1, 200 do acc = acc + a(i % 90) end
print(acc)
