-- __index as a function receives the table and the key
local log = {}
local t = setmetatable({present = 1}, {__index = function(tbl, k)
  log[#log + 1] = tostring(k)
  return k == "computed" and "value" or nil
end})
print(t.present, t.computed, t.absent, t[1], t[true])
print(table.concat(log, " "))
-- the table argument is the original table
local self_check
local s = setmetatable({}, {__index = function(tbl, k) self_check = tbl; return k end})
print(s.key, self_check == s)
-- only the first result is used
local m = setmetatable({}, {__index = function() return 1, 2, 3 end})
print(m.x)
-- function and table chains mixed
local deep = setmetatable({}, {__index = function(_, k) return "fn:" .. k end})
local mid = setmetatable({}, {__index = deep})
local top = setmetatable({}, {__index = mid})
print(top.q)
-- memoizing __index
local calls = 0
local squares = setmetatable({}, {__index = function(tbl, n) calls = calls + 1; local v = n * n; rawset(tbl, n, v); return v end})
print(squares[4], squares[4], squares[5], calls)
-- default values
local function with_default(d) return setmetatable({}, {__index = function() return d end}) end
local counts = with_default(0)
counts.x = counts.x + 1
counts.x = counts.x + 1
print(counts.x, counts.y)
-- method lookup through __index function
local obj = setmetatable({}, {__index = function(_, name) return function(self, a) return name .. "(" .. a .. ")" end end})
print(obj:anything(5))
