local function rec(n) return 1 + rec(n + 1) end
local ok, e = pcall(rec, 1)
print(ok, e)
local depth = 0
local function rec2() depth = depth + 1; rec2() end
print(pcall(rec2))
print(depth > 1000)
-- through __index
local t = setmetatable({}, {})
getmetatable(t).__index = function(tt, k) return tt[k] end
local ok2, e2 = pcall(function() return t.x end)
print(ok2, e2)
-- through __add
local A = {}
A.__add = function(a, b) return a + b end
local ok3, e3 = pcall(function() return setmetatable({}, A) + 1 end)
print(ok3, e3)
-- deep but finite recursion works
local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end
print(deep(10000))
-- the VM still works afterwards
local sum = 0
for i = 1, 100 do sum = sum + i end
print(sum)
