-- table library in hot loops
local t = {}
for i = 1, 5000 do table.insert(t, i) end
for i = 1, 2500 do table.remove(t) end
print(#t, t[#t])
local q = {}
for i = 1, 2000 do table.insert(q, 1, i) end
print(q[1], q[2000])
local s = 0
for i = 1, 1000 do s = s + #table.concat({i, i + 1, i + 2}, ",") end
print(s)
local arrs = 0
for i = 1, 500 do local a = {5, 3, 1, 4, 2}; table.sort(a); arrs = arrs + a[1] + a[5] end
print(arrs)
