-- constant-index stores in unrolled copies vs variable-index loads and vice versa
local t = {0, 0, 0, 0}
local s = 0
for k = 1, 300 do
  for i = 1, 4 do t[i] = t[i] + k % (i + 1) end
  local j = k % 4 + 1
  s = s + t[j]
  t[j] = t[j] - 1
  for i = 1, 4 do s = s + t[i] end
end
print(s)
-- two tables that are sometimes the same table
local a, b = {1, 2, 3}, {4, 5, 6}
local r = 0
for k = 1, 300 do
  local x = (k % 3 == 0) and a or b
  for i = 1, 3 do x[i] = x[i] + 1 end
  for i = 1, 3 do r = r + a[i] end
end
print(r)
-- hash part: integer keys beyond the array part
local h = {}
h[100] = 1; h[101] = 2; h[102] = 3
local q = 0
for k = 1, 300 do
  for i = 100, 102 do q = q + h[i] end
  h[100 + k % 3] = k
end
print(q)
-- the array grows inside the outer loop (reallocation moves the array part)
local g = {1, 2}
local z = 0
for k = 1, 300 do
  for i = 1, 2 do z = z + g[i] end
  g[#g + 1] = k
  if #g > 40 then g = {k, k + 1} end
end
print(z)
