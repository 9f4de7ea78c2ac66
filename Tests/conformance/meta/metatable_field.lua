-- the __metatable field protects a metatable
local t = setmetatable({}, {__metatable = "protected", __index = {x = 1}})
print(getmetatable(t), t.x)
print(pcall(setmetatable, t, {}))
print(pcall(setmetatable, t, nil))
local f = setmetatable({}, {__metatable = false})
print(getmetatable(f))
print(pcall(setmetatable, f, {}))
local tbl_mt = setmetatable({}, {__metatable = {fake = true}})
print(getmetatable(tbl_mt).fake)
-- strings have a protected-looking shared metatable (not protected in 5.1)
print(type(getmetatable("")), getmetatable("a") == getmetatable("b"))
-- setmetatable returns its first argument
local u = {}
print(setmetatable(u, nil) == u, getmetatable(u))
local mt = {}
print(setmetatable(u, mt) == u, getmetatable(u) == mt)
print(setmetatable(u, nil) == u, getmetatable(u))
-- argument errors
print(pcall(setmetatable, 1, {}))
print(pcall(setmetatable, {}, 1))
print(pcall(setmetatable, {}))
print(pcall(getmetatable))
print(getmetatable(1), getmetatable(nil), getmetatable(print))
