-- unbounded recursion raises "stack overflow", catchable by pcall
local function rec(n) return 1 + rec(n + 1) end
local ok, e = pcall(rec, 1)
print(ok, (e:gsub("^[^:]*:%d+: ", "")))
-- after the overflow, normal calls work again
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(1000))
-- overflow inside a metamethod chain
local mt = {}
mt.__index = function(t, k) return setmetatable({}, mt)[k] end
ok, e = pcall(function() return setmetatable({}, mt).x end)
print(ok, e:find("stack overflow", 1, true) ~= nil)
-- overflow through mutual recursion
local a, b
a = function() return b() + 1 end
b = function() return a() + 1 end
ok, e = pcall(a)
print(ok, (e:gsub("^[^:]*:%d+: ", "")))
-- overflow via string concatenation recursion
local function cat(s) return cat(s .. "x") .. "y" end
ok, e = pcall(cat, "")
print(ok, (e:gsub("^[^:]*:%d+: ", "")))
-- deep pcall nesting
local function nest(n) if n == 0 then return "bottom" end local ok2, v = pcall(nest, n - 1) return v end
print(nest(100))
