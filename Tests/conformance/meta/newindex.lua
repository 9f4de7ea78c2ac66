-- __newindex as a table and as a function
local store = {}
local proxy = setmetatable({}, {__newindex = store})
proxy.a = 1
print(rawget(proxy, "a"), store.a)
-- existing keys are assigned directly
local t = setmetatable({x = 1}, {__newindex = function() error("should not be called") end})
t.x = 2
print(t.x)
-- assigning nil to an absent key calls __newindex too
local log = {}
local w = setmetatable({}, {__newindex = function(tbl, k, v) log[#log + 1] = tostring(k) .. "=" .. tostring(v); rawset(tbl, k, v) end})
w.a = 1; w.a = 2; w.b = nil; w[1] = "one"
print(table.concat(log, " "), w.a, w[1])
-- read-only table
local ro = setmetatable({}, {__index = {k = "v"}, __newindex = function(_, k) error("read-only: " .. k, 2) end})
print(ro.k, pcall(function() ro.z = 1 end))
-- __newindex table that itself has __newindex
local final = {}
local middle = setmetatable({}, {__newindex = final})
local front = setmetatable({}, {__newindex = middle})
front.q = "deep"
print(rawget(front, "q"), rawget(middle, "q"), final.q)
-- __newindex with numeric keys and table.insert (which uses raw access in 5.1)
local arr = setmetatable({}, {__newindex = function(tbl, k, v) rawset(tbl, k, v * 10) end})
arr[1] = 1
arr[2] = 2
table.insert(arr, 3)
print(arr[1], arr[2], arr[3])
-- rawset bypasses __newindex
local r = setmetatable({}, {__newindex = function() error("no") end})
rawset(r, "k", "v")
print(r.k)
