-- metamethods on userdata (newproxy) : __index, __newindex, __call, __eq, __lt, __concat, __unm, __tostring
local store = {}
local u = newproxy(true)
local mt = getmetatable(u)
mt.__index = function(_, k) return "ud:" .. tostring(k) end
mt.__newindex = function(_, k, v) store[k] = v end
mt.__call = function(self, x) return "called with " .. tostring(x) end
mt.__concat = function(a, b) return "concat" end
mt.__unm = function() return "neg" end
mt.__add = function() return "sum" end
mt.__tostring = function() return "<userdata u>" end
print(u.key, u[1])
u.k = "v"
print(store.k)
print(u(5), u .. "x", "x" .. u, -u, u + 1, 1 + u)
print(tostring(u), type(u))
-- __eq between userdata sharing the metamethod
local v = newproxy(u)
mt.__eq = function() return true end
print(u == v, u ~= v, rawequal(u, v))
-- __lt between userdata
mt.__lt = function() return true end
print(u < v, pcall(function() return u < 1 end))
-- plain userdata has no metamethods
local plain = newproxy()
print(pcall(function() return plain.x end))
print(pcall(function() plain() end))
