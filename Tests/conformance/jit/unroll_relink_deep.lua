-- a side trace that goes round loops inside called functions twice, with short loops unrolled
local function g(t, n)
  local s = 0
  for i = 1, 3 do s = s + t[i] end
  for j = 1, n do s = s + j end
  return s
end
local t = {1, 2, 3}
local acc = 0
for k = 1, 300 do
  if k % 2 == 0 then
    acc = acc + g(t, k % 5) + g(t, 2)
  else
    acc = acc - g(t, 1)
  end
  for i = 1, 2 do acc = acc + i end
  if k % 37 == 0 then t[2] = t[2] + 0.5 end
end
print(acc)
