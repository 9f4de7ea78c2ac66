-- loop control variables are fresh locals; assignments to them do not leak
local i = 100
for i = 1, 3 do end
print(i)
for i = 1, 3 do
  local i = i * 2
  io.write(i, " ")
end
print()
local k, v = "k", "v"
for k, v in pairs({x = 1}) do end
print(k, v)
-- nested loops using the same name
local out = {}
for i = 1, 2 do
  for i = i * 10, i * 10 + 1 do out[#out + 1] = i end
end
print(table.concat(out, " "))
-- the end value is computed before the loop
local t = {1, 2, 3}
local n = 0
for idx = 1, #t do t[#t + 1] = idx; n = n + 1 end
print(n, #t)
-- float accumulation in a numeric for
local cnt = 0
for x = 0, 1, 1/3 do cnt = cnt + 1 end
print(cnt)
local last
for x = 1, 2, 0.5 do last = x end
print(last)
