-- __newindex is called whenever the key is absent from the raw table
local calls = {}
local t = setmetatable({}, {__newindex = function(tbl, k, v) calls[#calls + 1] = k .. "=" .. tostring(v); rawset(tbl, k, v) end})
t.a = 1          -- absent: called
t.a = 2          -- present: raw
t.a = nil        -- present: raw (removes it)
t.a = 3          -- absent again: called
t[1] = "x"       -- absent: called
t[1] = "y"       -- present
print(table.concat(calls, " "), t.a, t[1])
-- __newindex table receives raw sets that themselves may trigger its metamethods
local inner_calls = 0
local inner = setmetatable({}, {__newindex = function(tb, k, v) inner_calls = inner_calls + 1; rawset(tb, k, v) end})
local outer = setmetatable({}, {__newindex = inner})
outer.x = 1
outer.x = 2      -- absent from outer, present in inner: inner's raw set
print(inner_calls, inner.x, rawget(outer, "x"))
