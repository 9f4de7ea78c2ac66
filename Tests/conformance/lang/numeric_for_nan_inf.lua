-- numeric for loops with NaN or infinite bounds
local n = 0
for i = 1, 0/0 do n = n + 1 end
print("limit nan", n)
n = 0
for i = 0/0, 10 do n = n + 1 end
print("start nan", n)
n = 0
for i = 1, 10, 0/0 do n = n + 1 end
print("step nan", n)
n = 0
for i = math.huge, math.huge do n = n + 1; if n > 3 then break end end
print("inf to inf", n)
n = 0
for i = -math.huge, 0 do n = n + 1; if n > 3 then break end end
print("-inf start", n)
n = 0
for i = 1, 3, math.huge do n = n + 1 end
print("inf step", n)
n = 0
for i = 3, 1, -math.huge do n = n + 1 end
print("-inf step", n)
