-- loops whose value types or branch directions change midway (forces a JIT to side-exit)
local vals = {}
for i = 1, 2000 do vals[i] = i end
for i = 1001, 2000 do vals[i] = tostring(i) end
local sum, cat = 0, 0
for i = 1, #vals do
  local v = vals[i]
  if type(v) == "number" then sum = sum + v else cat = cat + #v end
end
print(sum, cat)
local mixed = 0
for i = 1, 3000 do
  local v = i
  if i > 1500 then v = i + 0.5 end
  mixed = mixed + v
end
print(mixed)
local x = 0
for i = 1, 5000 do
  if i < 2500 then x = x + 1 else x = x - 2 end
end
print(x)
local t = {}
for i = 1, 3000 do
  local k = (i % 2 == 0) and i or ("s" .. i)
  t[k] = i
end
local n = 0
for _ in pairs(t) do n = n + 1 end
print(n, t[2], t.s1, t[3000], t.s2999)
local val = 1
for i = 1, 4000 do
  if i == 2000 then val = "1" end
  val = val + 1
end
print(val, type(val))
local f = function(a) return a + 1 end
local r = 0
for i = 1, 4000 do
  if i == 3000 then f = function(a) return a + 10 end end
  r = f(r)
end
print(r)
local objs = {}
for i = 1, 1000 do objs[i] = (i % 3 == 0) and setmetatable({}, {__index = function() return 5 end}) or {v = 1} end
local total = 0
for i = 1, #objs do total = total + objs[i].v end
print(total)
