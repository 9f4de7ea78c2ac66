-- hot numeric loops (long enough for a JIT to compile them)
local s = 0
for i = 1, 1000000 do s = s + i end
print(s)
local f = 0
for i = 1, 100000 do f = f + 1 / i end
print(string.format("%.10f", f))
local x = 1
for i = 1, 100000 do x = (x * 1103515245 + 12345) % 2147483648 end
print(x)
local acc = 0
local i = 0
while i < 300000 do i = i + 1; if i % 3 == 0 then acc = acc + i elseif i % 5 == 0 then acc = acc - i end end
print(acc)
local p = 1
for k = 1, 1000 do p = p * 1.001 end
print(string.format("%.6f", p))
-- nested loops
local n = 0
for a = 1, 300 do for b = 1, 300 do if (a + b) % 7 == 0 then n = n + 1 end end end
print(n)
-- loop with float induction
local fs = 0
for v = 0.5, 50000, 0.5 do fs = fs + v end
print(fs)
-- downward loop
local d = 0
for v = 100000, 1, -1 do d = d + v % 10 end
print(d)
-- math functions in a loop
local m = 0
for k = 1, 100000 do m = m + math.floor(k / 3) + math.abs(-k) % 2 end
print(m)
