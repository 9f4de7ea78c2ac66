-- __lt and __le; a > b is b < a; __le falls back to not (b < a) when absent
local log = {}
local mt = {}
mt.__lt = function(a, b) log[#log + 1] = "lt(" .. a.v .. "," .. b.v .. ")"; return a.v < b.v end
mt.__le = function(a, b) log[#log + 1] = "le(" .. a.v .. "," .. b.v .. ")"; return a.v <= b.v end
local function o(v) return setmetatable({v = v}, mt) end
local x, y = o(1), o(2)
print(x < y, x > y, x <= y, x >= y, y <= x)
print(table.concat(log, " "))
-- without __le: a <= b is not (b < a)
log = {}
local mt2 = {__lt = function(a, b) log[#log + 1] = "lt(" .. a.v .. "," .. b.v .. ")"; return a.v < b.v end}
local p, q = setmetatable({v = 1}, mt2), setmetatable({v = 2}, mt2)
print(p <= q, q <= p, p >= q, p <= p)
print(table.concat(log, " "))
-- results converted to boolean
local tb = {__lt = function() return 1 end, __le = function() return nil end}
local m1, m2 = setmetatable({}, tb), setmetatable({}, tb)
print(m1 < m2, m1 <= m2)
-- mixed types: error even if one side has a metamethod
print(pcall(function() return x < 1 end))
print(pcall(function() return 1 <= x end))
print(pcall(function() return x < "s" end))
-- different metamethods: error
local z = setmetatable({v = 3}, {__lt = function() return true end})
print(pcall(function() return x < z end))
-- only the same function is required, not the same metatable
local w = setmetatable({v = 5}, {__lt = mt.__lt})
print(x < w, w < x)
-- sorting objects by __lt
local items = {o(5), o(3), o(9), o(1)}
table.sort(items)
local vs = {}
for i, it in ipairs(items) do vs[i] = it.v end
print(table.concat(vs, " "))
