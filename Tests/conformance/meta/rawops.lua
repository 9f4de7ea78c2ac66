-- rawget, rawset and rawequal bypass metamethods
local log = {}
local mt = {
  __index = function(_, k) log[#log + 1] = "index " .. k; return "mm" end,
  __newindex = function(t, k, v) log[#log + 1] = "newindex " .. k; rawset(t, k, v) end,
  __eq = function() log[#log + 1] = "eq"; return true end,
}
local t = setmetatable({}, mt)
print(t.a, rawget(t, "a"))
t.b = 1
rawset(t, "c", 2)
print(rawget(t, "b"), rawget(t, "c"), t.c)
local u = setmetatable({}, mt)
print(t == u, rawequal(t, u), rawequal(t, t))
print(table.concat(log, ", "))
-- rawset returns the table
print(rawset(t, "d", 4) == t)
-- raw functions on non-tables
print(pcall(rawget, "str", 1))
print(pcall(rawset, 1, 2, 3))
print(pcall(rawget, {}))
print(rawequal("a", "a"), rawequal(1, 1.0), rawequal({}, {}), rawequal(nil, nil))
print(pcall(rawequal, 1))
-- rawget with numeric keys and nil
local arr = setmetatable({10, 20}, {__index = function() return "x" end})
print(rawget(arr, 1), rawget(arr, 3), arr[3])
