-- __index as table chain and function
local base = {greet = function(self) return "hello " .. self.name end, kind = "base"}
local mid = setmetatable({kind = "mid"}, {__index = base})
local obj = setmetatable({name = "obj"}, {__index = mid})
print(obj:greet(), obj.kind, rawget(obj, "kind"))
local calls = 0
local lazy = setmetatable({}, {__index = function(t, k) calls = calls + 1; return k .. "!" end})
print(lazy.x, lazy[1], calls)
-- __newindex table and function
local store = {}
local proxy = setmetatable({}, {__newindex = store})
proxy.a = 1
print(rawget(proxy, "a"), store.a)
local log = {}
local logged = setmetatable({}, {__newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v * 2) end})
logged.x = 5
logged.x = 6  -- existing key: no metamethod
print(logged.x, #log, log[1])
-- __call
local callable = setmetatable({}, {__call = function(self, a, b) return a + b, self end})
local s, me = callable(3, 4)
print(s, me == callable)
-- arithmetic metamethods
local V = {}
V.__index = V
local function vec(x) return setmetatable({x = x}, V) end
V.__add = function(a, b) return vec((type(a) == "table" and a.x or a) + (type(b) == "table" and b.x or b)) end
V.__sub = function(a, b) return vec(a.x - b.x) end
V.__mul = function(a, b) return vec(a.x * (type(b) == "table" and b.x or b)) end
V.__div = function(a, b) return vec(a.x / b.x) end
V.__mod = function(a, b) return vec(a.x % b.x) end
V.__pow = function(a, b) return vec(a.x ^ b.x) end
V.__unm = function(a) return vec(-a.x) end
V.__concat = function(a, b)
  local l = type(a) == "table" and "v" .. a.x or a
  local r = type(b) == "table" and "v" .. b.x or b
  return l .. "&" .. r
end
V.__eq = function(a, b) return a.x == b.x end
V.__lt = function(a, b) return a.x < b.x end
V.__le = function(a, b) return a.x <= b.x end
V.__tostring = function(a) return "vec(" .. a.x .. ")" end
local a, b = vec(6), vec(4)
print((a + b).x, (a - b).x, (a * b).x, (a / b).x, (a % b).x, (b ^ vec(2)).x, (-a).x, (1 + a).x, (a + 1).x)
print(a .. b, "s" .. a, a .. "s", 1 .. a)
print(a == b, a == vec(6), a ~= vec(6), a < b, a <= b, a > b, a >= b)
print(tostring(a), a)
-- __eq only for two tables with the same metamethod
local other = setmetatable({x = 6}, {__eq = function() return true end})
print(a == other, vec(1) == 1)
-- __le falls back to not __lt(b, a)
local L = {__lt = function(a, b) return a.v < b.v end}
local p, q = setmetatable({v = 1}, L), setmetatable({v = 2}, L)
print(p <= q, q <= p, p < q)
-- __metatable protects
local prot = setmetatable({}, {__metatable = "locked"})
print(getmetatable(prot), pcall(setmetatable, prot, {}))
-- __len is not used for tables in 5.1
local lenT = setmetatable({1, 2}, {__len = function() return 99 end})
print(#lenT)
-- rawequal / rawget / rawset bypass
print(rawequal(a, vec(6)), rawequal(a, a), rawget(lazy, "zzz"))
-- __index on strings: methods through the string metatable are absent here, so index a string key
print(getmetatable("x") ~= nil)
-- __mode weak tables
local weak = setmetatable({}, {__mode = "k"})
local wv = setmetatable({}, {__mode = "v"})
do
  local key = {}
  weak[key] = 1
  wv[1] = {}
  wv[2] = "str"
end
collectgarbage()
collectgarbage()
local n = 0
for _ in pairs(weak) do n = n + 1 end
print("weak", n, wv[1], wv[2])
-- inheritance via __index function returning methods
local Animal = {}
Animal.__index = Animal
function Animal.new(name) return setmetatable({name = name}, Animal) end
function Animal:speak() return self.name .. " makes a sound" end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name); return setmetatable(d, Dog) end
function Dog:speak() return self.name .. " barks; " .. Animal.speak(self) end
print(Dog.new("rex"):speak())
