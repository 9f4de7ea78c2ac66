-- short loop in a recursive function
local function f(n, t)
  if n == 0 then return 1 end
  local s = 0
  for i = 1, 3 do s = s + t[i] * f(n - 1, t) end
  return s
end
local function g(n)
  if n <= 0 then return 0 end
  local s = 0
  for i = 1, 4 do s = s + i end
  return s + g(n - 1)
end
local acc = 0
for k = 1, 30 do acc = acc + f(3, {1, k % 3, 2}) + g(k % 10) end
print(acc)
