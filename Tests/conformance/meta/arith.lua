-- arithmetic metamethods: __add __sub __mul __div __mod __pow __unm
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({x = x, y = y}, V) end
local function num(o) return type(o) == "table" and o.x or o end
V.__add = function(a, b) return "add(" .. tostring(num(a)) .. "," .. tostring(num(b)) .. ")" end
V.__sub = function(a, b) return "sub(" .. tostring(num(a)) .. "," .. tostring(num(b)) .. ")" end
V.__mul = function(a, b) return "mul(" .. tostring(num(a)) .. "," .. tostring(num(b)) .. ")" end
V.__div = function(a, b) return "div(" .. tostring(num(a)) .. "," .. tostring(num(b)) .. ")" end
V.__mod = function(a, b) return "mod(" .. tostring(num(a)) .. "," .. tostring(num(b)) .. ")" end
V.__pow = function(a, b) return "pow(" .. tostring(num(a)) .. "," .. tostring(num(b)) .. ")" end
V.__unm = function(a) return "unm(" .. tostring(num(a)) .. ")" end
local v = vec(1, 2)
print(v + 1, 1 + v, v + v)
print(v - 2, 2 - v, v * 3, 3 * v)
print(v / 4, 4 / v, v % 5, 5 % v)
print(v ^ 6, 6 ^ v, -v)
print(v + "7", "7" + v, v + "str", "str" + v)
-- metamethods may return any value, including multiple (truncated to one)
local mr = setmetatable({}, {__add = function() return 1, 2, 3 end})
print(mr + 1)
local r = setmetatable({}, {__add = function() return nil end})
print(r + 1)
-- a real vector type
local Vec = {}
Vec.__index = Vec
Vec.__add = function(a, b) return setmetatable({a[1] + b[1], a[2] + b[2]}, Vec) end
Vec.__mul = function(a, b)
  if type(a) == "number" then return setmetatable({a * b[1], a * b[2]}, Vec) end
  if type(b) == "number" then return setmetatable({a[1] * b, a[2] * b}, Vec) end
  return a[1] * b[1] + a[2] * b[2]
end
Vec.__unm = function(a) return setmetatable({-a[1], -a[2]}, Vec) end
local p, q = setmetatable({1, 2}, Vec), setmetatable({3, 4}, Vec)
local s = p + q
print(s[1], s[2], p * q, (2 * p)[2], (p * 3)[1], (-p)[1])
-- errors when no metamethod
print(pcall(function() return {} + 1 end))
print(pcall(function() local t = {} return 1 - t end))
print(pcall(function() return -{} end))
