-- closure-based generators and iterators
local function fib_gen()
  local a, b = 0, 1
  return function() a, b = b, a + b; return a end
end
local g = fib_gen()
local out = {}
for i = 1, 15 do out[i] = g() end
print(table.concat(out, " "))
local function chars(s)
  local i = 0
  return function() i = i + 1; if i <= #s then return i, s:sub(i, i) end end
end
for i, c in chars("lua") do io.write(i, c, " ") end
print()
local function filter(pred, it)
  return function() while true do local v = it(); if v == nil or pred(v) then return v end end end
end
local function upto(n) local i = 0 return function() i = i + 1 if i <= n then return i end end end
local evens = {}
for v in filter(function(x) return x % 2 == 0 end, upto(20)) do evens[#evens + 1] = v end
print(table.concat(evens, ","))
local function map(f, it) return function() local v = it() if v ~= nil then return f(v) end end end
local sq = {}
for v in map(function(x) return x * x end, upto(6)) do sq[#sq + 1] = v end
print(table.concat(sq, ","))
-- independent generators
local g1, g2 = fib_gen(), fib_gen()
print(g1(), g1(), g1(), g2(), g1(), g2())
