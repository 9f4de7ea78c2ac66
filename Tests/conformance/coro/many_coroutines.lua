-- many live coroutines at once, resumed round-robin
local cos = {}
for i = 1, 200 do
  cos[i] = coroutine.create(function()
    local sum = 0
    for k = 1, 5 do sum = sum + k * i; coroutine.yield(sum) end
    return "done" .. i
  end)
end
local total = 0
for round = 1, 5 do
  for i = 1, #cos do local ok, v = coroutine.resume(cos[i]); total = total + v end
end
print(total)
local finals = {}
for i = 1, #cos do local ok, v = coroutine.resume(cos[i]); if i % 50 == 0 then finals[#finals + 1] = v end end
print(table.concat(finals, " "))
local dead = 0
for i = 1, #cos do if coroutine.status(cos[i]) == "dead" then dead = dead + 1 end end
print(dead)
-- creating and finishing many short coroutines (allocation heavy)
local n = 0
for i = 1, 20000 do
  local co = coroutine.wrap(function(x) return x + 1 end)
  n = n + co(i)
end
print(n)
