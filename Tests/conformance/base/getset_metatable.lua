-- setmetatable / getmetatable basics
local t = {}
local mt = {}
print(getmetatable(t))
print(setmetatable(t, mt) == t, getmetatable(t) == mt)
print(getmetatable(setmetatable({}, nil)))
print(getmetatable("abc").__index == string)
print(getmetatable(1), getmetatable(true), getmetatable(nil), getmetatable(print))
mt.__metatable = "hidden"
print(getmetatable(t))
print(pcall(setmetatable, t, {}))
print(pcall(setmetatable, "s", {}))
