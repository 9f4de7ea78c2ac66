-- modifying an array while iterating with ipairs: ipairs reads t[i] afresh each step
local t = {1, 2, 3}
local seen = {}
for i, v in ipairs(t) do
  seen[#seen + 1] = v
  if i == 1 then t[4] = 4 end      -- appended element is visited
  if i == 2 then t[3] = 30 end     -- changed element seen with new value
end
print(table.concat(seen, " "))
-- removing the next element stops the iteration
local u = {1, 2, 3, 4}
local cnt = 0
for i, v in ipairs(u) do cnt = cnt + 1; if i == 2 then u[3] = nil end end
print(cnt)
-- pairs over an array visits every element once
local a = {}
for i = 1, 50 do a[i] = i end
local sum, n = 0, 0
for k, v in pairs(a) do sum = sum + v; n = n + 1 end
print(n, sum)
