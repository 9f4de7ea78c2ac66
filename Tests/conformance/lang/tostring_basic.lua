-- tostring and type of primitive values
print(tostring(nil), tostring(true), tostring(false), tostring(12), tostring(-1.25), tostring("s"))
print(type(nil), type(true), type(1), type("x"), type({}), type(print), type(function() end), type(coroutine.create(print)))
print(type(tostring({})), tostring({}):match("^table: ") ~= nil, tostring(print):match("^function: ") ~= nil)
print(tostring(coroutine.create(print)):match("^thread: ") ~= nil)
print(pcall(tostring))
print(pcall(type))
print(tostring(1e15), tostring(-0), tostring(1/0))
print(select("#", tostring(nil)))
