-- loop conditions built from and/or/not and calls
local i, j = 0, 10
while i < 5 and j > 7 do i = i + 1; j = j - 1 end
print(i, j)
local t = {3, 1, 4, 1, 5, 9, 2, 6}
local k = 1
while t[k] and t[k] ~= 9 do k = k + 1 end
print(k)
local n = 0
while not (n >= 3) do n = n + 1 end
print(n)
local a, b = 0, 0
repeat a = a + 1; if a % 2 == 0 then b = b + 1 end until a >= 10 or b >= 3
print(a, b)
local s = "aaab"
local p = 1
while s:sub(p, p) == "a" do p = p + 1 end
print(p)
local x = nil
local c = 0
while (x or 0) < 3 do x = (x or 0) + 1; c = c + 1 end
print(x, c)
