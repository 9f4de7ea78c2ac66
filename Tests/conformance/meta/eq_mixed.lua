-- __eq is never called between values of different types
local calls = 0
local mt = {__eq = function() calls = calls + 1; return true end}
local t = setmetatable({}, mt)
local u = newproxy(true)
getmetatable(u).__eq = mt.__eq
print(t == u, u == t, t == "t", t == 1, t == nil, t == false)
print(calls)
local u2 = newproxy(u)
print(u == u2, calls)
local t2 = setmetatable({}, mt)
print(t == t2, calls)
