-- __index as a table: lookups fall through, chains follow further metatables
local base = {a = "base-a", b = "base-b"}
local mid = setmetatable({b = "mid-b", c = "mid-c"}, {__index = base})
local top = setmetatable({c = "top-c"}, {__index = mid})
print(top.a, top.b, top.c, top.d)
print(rawget(top, "a"), rawget(top, "c"))
-- own keys shadow inherited ones; assigning does not touch the chain
top.a = "own-a"
print(top.a, base.a)
top.a = nil
print(top.a)
-- changes to the prototype are visible
base.d = "late"
print(top.d)
-- __index only for absent keys: a false value is present
local f = setmetatable({flag = false}, {__index = {flag = true}})
print(f.flag)
-- numeric keys fall through too
local arr = setmetatable({}, {__index = {10, 20, 30}})
print(arr[1], arr[3], arr[4], #arr)
-- metatable changes take effect immediately
local mt = {__index = {x = 1}}
local o = setmetatable({}, mt)
print(o.x)
mt.__index = {x = 2}
print(o.x)
mt.__index = nil
print(o.x)
-- a table that is its own __index (the class idiom)
local C = {}
C.__index = C
C.greet = function() return "hi" end
local inst = setmetatable({}, C)
print(inst.greet(), inst.__index == C)
