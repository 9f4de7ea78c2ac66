-- findmax with the array changing between calls
local function findMax(t)
  local m = t[1]
  for i = 2, #t do
    if t[i] > m then m = t[i] end
  end
  return m
end
local t = { 3, 9, 2, 7, 5, 8, 1, 6, 4, 10 }
local sum = 0
for k = 1, 3000 do
  sum = sum + findMax(t)
  t[k % 10 + 1] = (k * 7) % 13
  if k == 2000 then t[11] = 100 end
  if k == 2500 then t[11] = nil; t[10] = nil end
end
print(sum)
