-- short for loop inside while / repeat, and the outer for loop variable used as limit
local s, k = 0, 0
while k < 200 do
  k = k + 1
  for i = 1, 3 do s = s + i end
  repeat
    for i = 1, 2 do s = s + 1 end
    s = s + 1
  until s % 3 ~= 0 or true
end
for n = 1, 200 do
  for i = 1, n % 4 do s = s + i end
end
print(s)
