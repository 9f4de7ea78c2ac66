-- the length of proper sequences built in different ways
local a = {}
for i = 1, 10 do a[i] = i end
print(#a)
local b = {1, 2, 3, 4, 5}
b[#b] = nil
print(#b)
local c = {}
for i = 10, 1, -1 do c[i] = i end
print(#c)
local d = {n = 3}
print(#d)
local e = {}
e[1] = 1; e[2] = 2; e[3] = 3
e[3] = nil; e[2] = nil
print(#e)
local f = {"x"}
table.insert(f, "y"); table.insert(f, 1, "w")
print(#f)
local g = {}
for i = 1, 1000 do g[#g + 1] = i end
for i = 1, 500 do g[#g] = nil end
print(#g)
