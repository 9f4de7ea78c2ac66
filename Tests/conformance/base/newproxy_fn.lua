-- newproxy (undocumented in 5.1, present in LuaJIT): userdata with optional metatables
local a = newproxy()
local b = newproxy(true)
local c = newproxy(b)
print(type(a), type(b), type(c))
print(getmetatable(a), type(getmetatable(b)), getmetatable(b) == getmetatable(c))
getmetatable(b).__index = function(_, k) return "field " .. k end
print(b.x, c.y)
print(a == a, a == newproxy(), rawequal(b, c))
local t = {}
t[a] = "ud key"
print(t[a])
