local function try(f, ...) local ok, e = pcall(f, ...) print(ok, e) end
local t = {}
glob = nil
try(function() t.foo() end)
try(function() t:bar() end)
try(function() glob.x = 1 end)
try(function() undefinedfn() end)
try(function() local x = "abc"; return x + 1 end)
try(function() local x = {}; return 1 + x end)
try(function() return t.a.b end)
try((function() local up = nil; return function() return up.q end end)())
try(function() return 1 < nil end)
try(function() return {} < {} end)
try(function() return "a" < 1 end)
try(function() return {} <= 1 end)
try(function() return "a" .. {} end)
try(function() local n = nil; return "a" .. n end)
try(function() return #nil end)
try(function() local z; return #z end)
try(function() return -{} end)
try(function() local s = "x"; s() end)
try(function() t[nil] = 1 end)
try(function() t[0/0] = 1 end)
try(function() for i = 1, "x" do end end)
try(function() for i = {}, 2 do end end)
try(function() for i = 1, 2, nil do end end)
-- error values of any type
print(select('#', pcall(error, {1, 2})), type(select(2, pcall(error, {1, 2}))))
try(function() error(42) end)
try(function() error(nil) end)
try(function() error(true) end)
try(function() error("plain", 0) end)
try(function() error("level1") end)
local function lvl2() error("level2", 2) end
try(function() lvl2() end)
try(function() error() end)
-- assert
try(function() assert(false) end)
try(function() assert(nil, "custom assert") end)
try(function() assert(1 == 1, "unused"); return "fine" end)
print(pcall(function() assert(false, 12) end))
print(type(select(2, pcall(function() assert(false, {}) end))))
print(select('#', assert(1, 2, 3)))
-- nested pcall
print(pcall(pcall, error, "x"))
print(pcall(function() local ok, e = pcall(error, "inner"); error("outer:" .. e, 0) end))
-- xpcall with handler
print(xpcall(function() error("xp") end, function(m) return "handled: " .. m end))
print(xpcall(function() return 1, 2 end, print))
print(xpcall(function() error("a") end, function(m) error("b") end))
print(xpcall(function(a, b) return a + b end, print, 3, 4))
-- error objects keep identity
local eobj = {}
local ok, got = pcall(error, eobj)
print(ok, got == eobj)
-- errors in metamethods propagate with their position
local mt = setmetatable({}, {__index = function(t, k) error("no field " .. k) end})
print(pcall(function() return mt.zzz end))
-- tostring of error with __tostring in pcall result stays the table
local et = setmetatable({}, {__tostring = function() return "E!" end})
local ok2, e2 = pcall(error, et)
print(ok2, tostring(e2), e2 == et)
-- bad arguments to builtins
print(pcall(setmetatable, 1, {}))
print(pcall(ipairs))
print(pcall(select, 0))
print(pcall(tonumber, "10", 99))
print(pcall(unpack))
print(pcall(function() setmetatable(1, {}) end))
print(pcall(function() local t = {} t.x = ipairs; t.x() end))
print(pcall(function() return tostring() end))
-- runtime error after pcall keeps going
local count = 0
for i = 1, 5 do
  local ok = pcall(function() if i % 2 == 0 then error("even") end count = count + 1 end)
end
print("count", count)
