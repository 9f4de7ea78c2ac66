-- the key passed to __index/__newindex is the original key value
local seen = {}
local t = setmetatable({}, {__index = function(_, k) seen[#seen + 1] = type(k) .. ":" .. tostring(k); return nil end})
local _ = t[1], t[1.5], t["1"], t[true], t[-0]
_ = t[2^53]
print(table.concat(seen, " "))
-- integer-valued float keys find integer entries without __index
local arr = setmetatable({10, 20, 30}, {__index = function() return "miss" end})
print(arr[1.0], arr[2], arr[3.0], arr[4], arr[0], arr[2.5])
-- a table key
local k = {}
local kt = setmetatable({}, {__index = function(_, key) return key == k end})
print(kt[k], kt[{}])
