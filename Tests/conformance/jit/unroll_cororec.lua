-- recording across coroutine boundaries with short loops in the coroutine body
local function gen(t)
  return coroutine.wrap(function()
    while true do
      local s = 0
      for i = 1, #t do s = s + t[i] end
      coroutine.yield(s)
    end
  end)
end
local g1, g2 = gen({1, 2, 3}), gen({4, 5})
local acc = 0
for k = 1, 200 do
  acc = acc + g1() * 2 + g2()
  for i = 1, 2 do acc = acc + i end
end
print(acc)
