-- tostring of numbers, strings, booleans, nil; prefixes of reference types
print(tostring(1), tostring(1.0), tostring(-1.5), tostring(1e15), tostring(1e16), tostring(0.1))
print(tostring("str"), tostring(""), tostring(true), tostring(nil))
local function prefix(v) return (tostring(v):match("^(%a+): ")) end
print(prefix({}), prefix(print), prefix(function() end), prefix(coroutine.create(print)), prefix(newproxy()))
-- distinct objects have distinct strings; the same object the same string
local t = {}
print(tostring(t) == tostring(t), tostring(t) ~= tostring({}))
print(tostring(2^63), tostring(-2^63), tostring(2^-1074))
