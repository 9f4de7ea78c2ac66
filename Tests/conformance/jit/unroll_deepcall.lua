-- short loops in inlined calls several frames deep, with returns from inside and below
local function leaf(t, x)
  for i = 1, 3 do if t[i] == x then return i end end
  return 0
end
local function mid(t, x)
  local s = 0
  for j = 1, 2 do s = s + leaf(t, x + j) end
  return s
end
local function top(t, k)
  local r = 0
  for m = 1, 2 do r = r + mid(t, k % 4 + m) end
  return r
end
local t = {2, 3, 4}
local acc = 0
for k = 1, 400 do
  acc = acc + top(t, k)
  if k % 100 == 0 then t[2] = t[2] + 1 end
end
print(acc)
