-- long __index chains and the loop limit
local root = {found = "at root"}
local cur = root
for i = 1, 50 do cur = setmetatable({["level" .. i] = i}, {__index = cur}) end
print(cur.found, cur.level1, cur.level50, cur.missing)
-- a cycle of __index tables is detected
local a, b = {}, {}
setmetatable(a, {__index = b})
setmetatable(b, {__index = a})
print(pcall(function() return a.x end))
-- same with __newindex
local c, d = {}, {}
setmetatable(c, {__newindex = d})
setmetatable(d, {__newindex = c})
print(pcall(function() c.x = 1 end))
-- a chain of 90 levels still works
local leaf = {v = "leaf"}
local t = leaf
for i = 1, 90 do t = setmetatable({}, {__index = t}) end
print(t.v)
