-- outer loop entered through a relinked end with a slot whose type changes
local function h(t)
  local m = 0
  for i = 1, 4 do if t[i] > m then m = t[i] end end
  return m
end
local t = {4, 3, 2, 1}
local x = 0
for k = 1, 400 do
  x = x + h(t)
  if k == 200 then x = x + 0.25 end
  if k % 3 == 0 then t[k % 4 + 1] = k % 7 end
  if k == 300 then x = tostring(x) + 0 end
end
print(x)
