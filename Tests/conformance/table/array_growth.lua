-- arrays growing and shrinking through assignment, insertion and nil-ing from the end
local t = {}
for i = 1, 100000 do t[#t + 1] = i end
print(#t, t[1], t[100000])
for i = 1, 50000 do t[#t] = nil end
print(#t, t[50000], t[50001])
local h = {}
for i = 100, 1, -1 do h[i] = i end
print(#h)
local mixed = {}
for i = 1, 1000 do mixed[i] = i; mixed["k" .. i] = i end
for i = 1, 1000 do mixed["k" .. i] = nil end
print(#mixed)
local n = 0
for _ in pairs(mixed) do n = n + 1 end
print(n)
local pre = {n = 0}
for i = 1, 10 do pre[i] = i * i end
print(#pre, pre[10])
