-- generator patterns
local function range(a, b, step)
  return coroutine.wrap(function() for i = a, b, step or 1 do coroutine.yield(i) end end)
end
local t = {}
for i in range(1, 10, 3) do t[#t + 1] = i end
print(table.concat(t, ","))
local function map(f, g) return coroutine.wrap(function() for v in g do coroutine.yield(f(v)) end end) end
local function filter(p, g) return coroutine.wrap(function() for v in g do if p(v) then coroutine.yield(v) end end end) end
local function take(n, g) return coroutine.wrap(function() for v in g do if n <= 0 then return end n = n - 1 coroutine.yield(v) end end) end
local function naturals() return coroutine.wrap(function() local i = 0 while true do i = i + 1 coroutine.yield(i) end end) end
t = {}
for v in take(5, filter(function(x) return x % 3 == 0 end, map(function(x) return x * x end, naturals()))) do t[#t + 1] = v end
print(table.concat(t, ","))
-- producer/consumer
local producer = coroutine.create(function()
  for _, item in ipairs({"a", "b", "c"}) do coroutine.yield(item) end
  return nil
end)
local consumed = {}
while true do
  local ok, item = coroutine.resume(producer)
  if not item then break end
  consumed[#consumed + 1] = item
end
print(table.concat(consumed), coroutine.status(producer))
-- fibonacci generator
local fib = coroutine.wrap(function() local a, b = 0, 1 while true do coroutine.yield(a) a, b = b, a + b end end)
t = {}
for i = 1, 20 do t[i] = fib() end
print(table.concat(t, " "))
