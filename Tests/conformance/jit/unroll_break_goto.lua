-- break and goto out of short loops inside a hot outer loop
local t = {3, 1, 4, 1, 5, 9, 2, 6}
local acc = 0
for k = 1, 200 do
  for i = 1, 8 do
    if t[i] == 9 and k % 3 == 0 then break end
    acc = acc + t[i] * i
  end
  for i = 1, 4 do
    if k % 7 == i then goto skip end
    acc = acc + i
  end
  acc = acc + 1
  ::skip::
  if k % 50 == 0 then t[6] = t[6] + 1 end
end
print(acc)
