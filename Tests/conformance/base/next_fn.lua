-- next: traversal, nil start, end of table, modifying during traversal
local t = {10, 20, 30}
print(next({}))
print(next(t, nil) ~= nil, next(t, 3))
local k, v = next({x = "only"})
print(k, v)
-- assigning to existing fields (including nil) during traversal is allowed
local h = {}
for i = 1, 20 do h["k" .. i] = i end
for key, val in pairs(h) do
  if val % 2 == 0 then h[key] = nil else h[key] = val * 10 end
end
local rest = {}
for key, val in pairs(h) do rest[#rest + 1] = val end
table.sort(rest)
print(#rest, table.concat(rest, " "))
-- clearing a table while traversing it
local c = {a = 1, b = 2, c = 3, 1, 2, 3}
for key in pairs(c) do c[key] = nil end
print(next(c))
-- counting with next in a while loop
local cnt, key = 0, nil
local arr = {5, 6, 7, n = 3}
repeat
  key = next(arr, key)
  if key ~= nil then cnt = cnt + 1 end
until key == nil
print(cnt)
print(pcall(next))
print(pcall(next, {}, {}))
