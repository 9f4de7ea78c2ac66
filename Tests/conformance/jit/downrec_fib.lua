-- recursion unwound by return traces (down-recursion): results must not depend on which call
-- site a return goes to, on the depth, or on the order the traces were made in
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
for _, n in ipairs({ 5, 20, 1, 0, 22, 3, 18, 24, 2 }) do io.write(fib(n), " ") end
print()

-- the same function reached at growing and shrinking depths
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
local s = 0
for i = 1, 300 do s = s + depth((i * 37) % 250) end
print(s)

-- a recursion whose unwinding does work after each return (three call sites)
local function tri(n)
  if n <= 0 then return 1 end
  local a = tri(n - 1)
  local b = tri(n - 2)
  local c = tri(n - 3)
  return (a + 2 * b + 3 * c) % 1000003
end
print(tri(18), tri(7), tri(20))

-- hanoi: no results, the work is done between the calls
local moves, w = 0, 0
local function hanoi(n, a, b, c)
  if n == 0 then return end
  hanoi(n - 1, a, c, b)
  moves = moves + 1
  w = (w * 3 + a * 7 + b) % 1000003
  hanoi(n - 1, c, b, a)
end
hanoi(14, 1, 2, 3)
print(moves, w)

-- trees: make builds tables on the way back, check walks them
local function make(d)
  if d == 0 then return {} end
  d = d - 1
  return { make(d), make(d) }
end
local function check(t)
  if t[1] == nil then return 1 end
  return 1 + check(t[1]) + check(t[2])
end
local total = 0
for d = 2, 12, 2 do total = total + check(make(d)) end
print(total)

-- a recursion that changes the type of its result on the way back
local function mixed(n)
  if n == 0 then return 0 end
  local r = mixed(n - 1)
  if n == 150 then return "s" .. r end
  if type(r) == "string" then return r end
  return r + n
end
print(mixed(100), mixed(200), mixed(149))

-- a local captured by a closure in the recursion: the return must close it
local fns = {}
local function capt(n)
  local x = n * 2
  if n % 50 == 0 then fns[#fns + 1] = function() return x end end
  if n == 0 then return 0 end
  return capt(n - 1) + x
end
print(capt(200), capt(120))
local cs = 0
for i = 1, #fns do cs = cs + fns[i]() end
print(#fns, cs)
