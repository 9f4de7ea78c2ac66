-- yield inside and around short loops
local co = coroutine.wrap(function()
  for k = 1, 100 do
    local s = 0
    for i = 1, 3 do s = s + i * k end
    coroutine.yield(s)
  end
  return -1
end)
local tot = 0
for k = 1, 101 do tot = tot + co() end
print(tot)
local co2 = coroutine.wrap(function()
  for k = 1, 50 do
    for i = 1, 3 do coroutine.yield(i + k) end
  end
end)
local t2 = 0
for k = 1, 150 do t2 = t2 + co2() end
print(t2)
