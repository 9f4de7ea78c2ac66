-- two outer loops around the same function with a short loop, plus a varargs call (multres)
local function sum3(...)
  local s = 0
  local a = {...}
  for i = 1, 3 do s = s + (a[i] or 0) end
  return s, ...
end
local acc = 0
for k = 1, 200 do
  acc = acc + sum3(k, 1, 2)
  for r = 1, 2 do
    acc = acc + select('#', sum3(r, k))
  end
end
local n = 0
while n < 200 do n = n + 1; acc = acc + (sum3(n, n)) end
print(acc)
