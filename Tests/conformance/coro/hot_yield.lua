-- yields from inside hot loops
local gen = coroutine.wrap(function()
  local s = 0
  for i = 1, 100000 do
    s = s + i
    if i % 1000 == 0 then coroutine.yield(s) end
  end
  return "end"
end)
local last, count = nil, 0
while true do
  local v = gen()
  if v == "end" then break end
  last = v; count = count + 1
end
print(count, last)
local co = coroutine.create(function(x) while true do x = coroutine.yield(x * 2) end end)
local acc = 0
for i = 1, 50000 do local ok, v = coroutine.resume(co, i) acc = acc + v end
print(acc)
