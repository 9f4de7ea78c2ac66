-- stores in the enclosing loop alias loads in the unrolled copies
local t = {1, 2, 3, 4, 5}
local s = 0
for k = 1, 300 do
  local m = 0
  for i = 1, 5 do m = m + t[i] end
  s = s + m
  t[k % 5 + 1] = t[k % 5 + 1] + 1
  local j = k % 3 + 1
  t[j] = t[j] * 1
  for i = 1, 5 do t[i] = t[i] + (i == 3 and 1 or 0) end
end
print(s)
local u = {a = 1, b = 2}
local keys = {"a", "b"}
local r = 0
for k = 1, 300 do
  for i = 1, 2 do r = r + u[keys[i]] end
  u[keys[k % 2 + 1]] = k
end
print(r)
-- store through another reference to the same table
local v = {1, 1, 1}
local w = v
local q = 0
for k = 1, 300 do
  for i = 1, 3 do q = q + v[i] end
  w[2] = k
  for i = 1, 3 do v[i] = v[i] + i end
end
print(q)
