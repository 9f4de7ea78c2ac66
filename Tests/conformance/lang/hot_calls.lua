-- hot loops calling Lua functions, closures, methods and varargs
local function add(a, b) return a + b end
local s = 0
for i = 1, 300000 do s = add(s, i) end
print(s)
local function mk(k) return function(x) return x * k end end
local m3 = mk(3)
local t = 0
for i = 1, 100000 do t = t + m3(i) end
print(t)
local obj = {v = 0}
function obj:bump(n) self.v = self.v + n end
for i = 1, 100000 do obj:bump(i % 7) end
print(obj.v)
local function sum(...) local r = 0 for i = 1, select("#", ...) do r = r + (select(i, ...)) end return r end
local vs = 0
for i = 1, 20000 do vs = vs + sum(i, 1, 2) end
print(vs)
local function rec(n) if n == 0 then return 0 end return 1 + rec(n - 1) end
local rs = 0
for i = 1, 2000 do rs = rs + rec(50) end
print(rs)
local function multi(i) return i, i * 2, i * 3 end
local a1, a2, a3 = 0, 0, 0
for i = 1, 50000 do local x, y, z = multi(i) a1, a2, a3 = a1 + x, a2 + y, a3 + z end
print(a1, a2, a3)
local ps = 0
for i = 1, 20000 do local ok, v = pcall(add, i, 1) if ok then ps = ps + v end end
print(ps)
