-- math.random / randomseed: only properties, never raw values (generators differ)
math.randomseed(42)
local ok_unit, ok_n, ok_range = true, true, true
local seen = {}
for i = 1, 2000 do
  local x = math.random()
  if x < 0 or x >= 1 then ok_unit = false end
  local n = math.random(6)
  if n < 1 or n > 6 or n ~= math.floor(n) then ok_n = false end
  seen[n] = true
  local m = math.random(-3, 3)
  if m < -3 or m > 3 or m ~= math.floor(m) then ok_range = false end
end
print(ok_unit, ok_n, ok_range)
local count = 0
for k in pairs(seen) do count = count + 1 end
print(count)
-- the same seed gives the same sequence
math.randomseed(7)
local a = {math.random(), math.random(100), math.random(5, 10)}
math.randomseed(7)
local b = {math.random(), math.random(100), math.random(5, 10)}
print(a[1] == b[1], a[2] == b[2], a[3] == b[3])
print(math.random(1, 1), math.random(1))
