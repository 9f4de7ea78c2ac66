-- the table's length changes between activations
local t = {1, 2, 3}
local s = 0
for k = 1, 300 do
  for i = 1, #t do s = s + t[i] end
  if k % 10 == 0 then t[#t + 1] = k end
  if k % 25 == 0 then t[#t] = nil; t[#t] = nil end
end
print(s, #t)
