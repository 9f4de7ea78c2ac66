-- hot loops whose tables change shape: array/hash transitions, new keys, key types
local t = {}
for i = 1, 20000 do
  t[i] = i
  if i == 10000 then t.extra = "hash key added mid-loop" end
end
local s = 0
for i = 1, #t do s = s + t[i] end
print(#t, s, t.extra)
-- keys switching from integers to floats to strings
local m = {}
for i = 1, 3000 do
  local k
  if i <= 1000 then k = i elseif i <= 2000 then k = i + 0.5 else k = "s" .. i end
  m[k] = i
end
print(m[1000], m[1500.5], m.s2500, m[1500])
-- reading missing keys in a hot loop (nil results)
local hits, misses = 0, 0
for i = 1, 20000 do if t[i * 2] ~= nil then hits = hits + 1 else misses = misses + 1 end end
print(hits, misses)
-- negative and zero indexes
local z = {}
for i = -500, 500 do z[i] = i * i end
local zs = 0
for i = -500, 500 do zs = zs + z[i] end
print(zs, #z > 0)
-- field stores that alternate between tables of different shapes
local a, b = {x = 1}, {y = 2, x = 0}
for i = 1, 10000 do
  local o = (i % 2 == 0) and a or b
  o.x = o.x + 1
end
print(a.x, b.x)
-- a table emptied and refilled repeatedly
local r = {}
local total = 0
for round = 1, 200 do
  for i = 1, 50 do r[i] = round end
  for i = 1, 50 do total = total + r[i]; r[i] = nil end
end
print(total, next(r))
