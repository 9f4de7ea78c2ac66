-- call syntax: string and table arguments, method calls, chained calls
local function id(x) return x end
print(id"string arg", id'single', id[[long]])
print(id{1, 2, 3}[2])
print(type(id{}))
local s = "hello"
print(s:upper(), ("x"):rep(3), #s:rep(2))
print(("%d-%d"):format(1, 2))
local obj = {v = 5}
function obj:get() return self.v end
function obj:chain() return self end
print(obj:get(), obj:chain():chain():get())
local function curry(a) return function(b) return function(c) return a .. b .. c end end end
print(curry"a""b""c")
print(curry("x")("y")("z"))
local t = {f = function() return {g = function() return "deep" end} end}
print(t.f().g())
print(t["f"]()["g"]())
-- method call on a string literal requires parentheses
print(("abc"):len())
-- method call evaluates the object once
local count = 0
local function getobj() count = count + 1; return obj end
print(getobj():get(), count)
-- calling through a variable holding a method
local m = obj.get
print(m(obj), m({v = "other"}))
-- string methods via the string metatable
local mt = getmetatable("")
print(type(mt), mt.__index == string)
