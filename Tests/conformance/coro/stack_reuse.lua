-- Coroutine stacks are reused after their coroutines are collected: a new coroutine must never
-- see an old one's values, even in registers it has not written yet when a collection runs.
local function worker(seed)
  -- collectgarbage() runs while this frame's temporaries (the constructor below) are unwritten.
  collectgarbage()
  local t = { seed, seed * 2, { seed }, "s" .. seed, seed + 1, seed + 2, seed + 3, seed + 4 }
  local got = coroutine.yield(#t)
  collectgarbage()
  return t[1] + t[2] + t[3][1] + got
end
local total = 0
for round = 1, 6 do
  local live = {}
  for i = 1, 120 do
    local co = coroutine.create(worker)
    local ok, n = coroutine.resume(co, i * round)
    assert(ok and n == 8)
    live[i] = co
  end
  for i = 1, 120, 2 do
    local ok, v = coroutine.resume(live[i], 1)
    assert(ok, v)
    total = total + v
  end
  -- the other half is dropped while suspended
  live = nil
  collectgarbage()
end
print(total)
-- deep coroutines (big stacks) are dropped and new ones created
local function deep(n) if n == 0 then return coroutine.yield(n) end return deep(n - 1) + 1 end
for r = 1, 3 do
  local cs = {}
  for i = 1, 20 do
    cs[i] = coroutine.create(deep)
    coroutine.resume(cs[i], 200 * i)
  end
  local s = 0
  for i = 1, 20, 3 do s = s + select(2, coroutine.resume(cs[i], 0)) end
  print(r, s)
  cs = nil
  collectgarbage()
end
local fresh = coroutine.wrap(function(a) local x; local y; collectgarbage(); coroutine.yield(x, y, a) end)
print(fresh(5))
