-- a complete 2D vector type using every arithmetic and comparison metamethod
local Vec = {}
Vec.__index = Vec
local function new(x, y) return setmetatable({x = x, y = y}, Vec) end
local function isvec(v) return getmetatable(v) == Vec end
Vec.__add = function(a, b) return new(a.x + b.x, a.y + b.y) end
Vec.__sub = function(a, b) return new(a.x - b.x, a.y - b.y) end
Vec.__mul = function(a, b)
  if not isvec(a) then return new(a * b.x, a * b.y) end
  if not isvec(b) then return new(a.x * b, a.y * b) end
  return a.x * b.x + a.y * b.y
end
Vec.__div = function(a, s) return new(a.x / s, a.y / s) end
Vec.__mod = function(a, m) return new(a.x % m, a.y % m) end
Vec.__pow = function(a, n) local r = a for i = 2, n do r = new(r.x * a.x, r.y * a.y) end return r end
Vec.__unm = function(a) return new(-a.x, -a.y) end
Vec.__eq = function(a, b) return a.x == b.x and a.y == b.y end
Vec.__lt = function(a, b) return a:len2() < b:len2() end
Vec.__le = function(a, b) return a:len2() <= b:len2() end
Vec.__tostring = function(a) return "(" .. a.x .. ", " .. a.y .. ")" end
Vec.__concat = function(a, b) return tostring(a) .. tostring(b) end
Vec.__call = function(a, k) return a[k] end
function Vec:len2() return self.x * self.x + self.y * self.y end
local a, b = new(1, 2), new(3, 4)
print(a + b, a - b, a * b, a * 2, 2 * a, b / 2, b % 2, a ^ 3, -a)
print(a == new(1, 2), a ~= b, a < b, b <= a, a >= a, b > a)
print(a .. b, a .. "!", "v=" .. a)
print(a("x"), b("y"))
local list = {new(3, 3), new(1, 0), new(0, 2), new(-1, -1)}
table.sort(list)
local s = {}
for i, v in ipairs(list) do s[i] = tostring(v) end
print(table.concat(s, " "))
table.sort(list, function(p, q) return p > q end)
s = {}
for i, v in ipairs(list) do s[i] = tostring(v) end
print(table.concat(s, " "))
