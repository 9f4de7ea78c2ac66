-- math functions in hot loops (results rounded)
local s = 0
for i = 1, 100000 do s = s + math.sqrt(i) end
print(string.format("%.6f", s))
local t = 0
for i = 1, 100000 do t = t + math.sin(i) * math.cos(i) end
print(string.format("%.6f", t))
local f = 0
for i = 1, 100000 do f = f + math.floor(i / 7) - math.ceil(i / 11) end
print(f)
local m = 0
for i = 1, 100000 do m = math.max(m, (i * 7919) % 10007) end
print(m)
local a = 0
for i = -50000, 50000 do a = a + math.abs(i) end
print(a)
local fm = 0
for i = 1, 50000 do fm = fm + math.fmod(i, 13) end
print(fm)
