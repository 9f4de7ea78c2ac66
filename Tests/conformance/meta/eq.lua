-- __eq (Lua 5.1 rules): only for two tables (or two userdata) with the same __eq metamethod
local calls = 0
local function eqfn(a, b) calls = calls + 1; return a.v == b.v end
local mt = {__eq = eqfn}
local a, b, c = setmetatable({v = 1}, mt), setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(a == b, a == c, a ~= b, a ~= c, calls)
-- identical objects are equal without calling __eq
calls = 0
print(a == a, calls)
-- different metatables with the same function: still called
local other = setmetatable({v = 1}, {__eq = eqfn})
calls = 0
print(a == other, calls)
-- different __eq functions: not called, plain identity
local diff = setmetatable({v = 1}, {__eq = function() return true end})
print(a == diff, diff == a)
-- one side without metatable
local plain = {v = 1}
print(a == plain, plain == a)
-- different types never call __eq
print(a == 1, a == "x", a == nil)
-- the result is converted to a boolean
local truthy = setmetatable({}, {__eq = function() return "yes" end})
local truthy2 = setmetatable({}, getmetatable(truthy))
print(truthy == truthy2, truthy ~= truthy2)
local falsy = setmetatable({}, {__eq = function() return nil end})
local falsy2 = setmetatable({}, getmetatable(falsy))
print(falsy == falsy2, falsy ~= falsy2)
-- __eq is not used for table keys
local t = {}
t[a] = "a"
print(t[b], t[a])
-- rawequal ignores __eq
print(rawequal(a, b), rawequal(a, a))
