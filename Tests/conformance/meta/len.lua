-- __len: Lua 5.1 honours it only for userdata; for tables # is always the raw length
local t = setmetatable({1, 2, 3}, {__len = function() return 99 end})
print(#t)
local e = setmetatable({}, {__len = function() return 5 end})
print(#e)
-- userdata created with newproxy
local u = newproxy(true)
getmetatable(u).__len = function(self) return 7 end
print(#u)
local u2 = newproxy(u)          -- shares u's metatable
print(#u2, getmetatable(u2) == getmetatable(u))
local plain = newproxy(false)
print(getmetatable(plain), pcall(function() return #plain end))
print(type(u))
