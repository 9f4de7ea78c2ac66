-- hot loops over tables: array fill, read, hash keys, growth
local t = {}
for i = 1, 200000 do t[i] = i * 2 end
local s = 0
for i = 1, #t do s = s + t[i] end
print(#t, s)
local h = {}
for i = 1, 50000 do h["k" .. (i % 1000)] = (h["k" .. (i % 1000)] or 0) + 1 end
local cnt, total = 0, 0
for k, v in pairs(h) do cnt = cnt + 1; total = total + v end
print(cnt, total)
-- records
local pts = {}
for i = 1, 100000 do pts[i] = {x = i, y = -i} end
local sx, sy = 0, 0
for i = 1, #pts do local p = pts[i]; sx = sx + p.x; sy = sy + p.y end
print(sx, sy)
-- ipairs loop
local c = 0
for _, v in ipairs(t) do if v % 3 == 0 then c = c + 1 end end
print(c)
-- table shrinking
for i = #t, 1, -1 do t[i] = nil end
print(#t, next(t))
-- integer keys that are floats
local ft = {}
for i = 1, 1000 do ft[i + 0.0] = i end
print(#ft, ft[500])
-- table.insert / remove in loops
local q = {}
for i = 1, 10000 do table.insert(q, i) end
local r = 0
while #q > 0 do r = r + table.remove(q) end
print(r)
