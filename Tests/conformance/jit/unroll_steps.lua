-- negative, fractional, float limits, zero-trip loops
local s = 0
for k = 1, 200 do
  for i = 3, 1, -1 do s = s + i * k end
  for i = 1, 2, 0.5 do s = s + i end
  for i = 0, 1, 0.1 do s = s + i end
  for i = 1, 3.5 do s = s + i end
  for i = 5, 1 do s = s + 1000 end
  for i = 1, -1, -0.25 do s = s + i end
  for i = 10, 1, -3 do s = s - i end
end
print(string.format("%.10f", s))
