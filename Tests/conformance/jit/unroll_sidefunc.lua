-- short loop in a function called from two different hot loops; outer varying types
local function dot(a, b)
  local s = 0
  for i = 1, 3 do s = s + a[i] * b[i] end
  return s
end
local a, b = {1, 2, 3}, {4, 5, 6}
local r = 0
for k = 1, 200 do
  r = r + dot(a, b)
  if k % 2 == 0 then r = r + 0.5 end
end
local x = 0
while x < 150 do
  x = x + 1
  r = r + dot(b, a)
  if x == 100 then a[2] = 2.5 end
end
print(r)
