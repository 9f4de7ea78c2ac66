-- coroutines: three uses of coroutines.
--  1. a ring of 503 coroutines passing a token N times (resume/yield with
--     values, every switch crossing coroutines);
--  2. a generator -> filter -> map -> consumer pipeline of coroutine.wrap
--     stages over N numbers;
--  3. a prime sieve built as a growing chain of filter coroutines, one per
--     prime found, over the numbers below 400, run N / 20000 + 1 times (the
--     chain stays under 80 nested resumes: Lua 5.4 limits C-stack nesting
--     to about 200).
-- Each part is checked against a direct computation for any N.
-- Measures: coroutine creation, resume/yield, value passing across stacks.
-- Size: N.
local N = tonumber(arg and arg[1]) or 4000000
local create, resume, yield, wrap, status = coroutine.create, coroutine.resume, coroutine.yield, coroutine.wrap, coroutine.status

-- 1. the ring
local RING = 503
local threads = {}
for id = 1, RING do
  threads[id] = create(function(token)
    while token > 0 do token = yield(token - 1) end
    return id
  end)
end
local id, token, switches = 1, N, 0
local holder
while true do
  local ok, v = resume(threads[id], token)
  if not ok then error("coroutines: ring thread failed: " .. tostring(v)) end
  switches = switches + 1
  if status(threads[id]) == "dead" then holder = v; break end
  token = v
  id = id % RING + 1
end
if holder ~= N % RING + 1 then
  error(string.format("coroutines: token ended at %d, expected %d", holder, N % RING + 1))
end

-- 2. the pipeline
local function generator(n)
  return wrap(function()
    for i = 1, n do yield(i) end
    yield(nil)
  end)
end
local function filter(source, pred)
  return wrap(function()
    while true do
      local x = source()
      if x == nil then yield(nil) return end
      if pred(x) then yield(x) end
    end
  end)
end
local function map(source, f)
  return wrap(function()
    while true do
      local x = source()
      if x == nil then yield(nil) return end
      yield(f(x))
    end
  end)
end
local stage = map(filter(generator(N), function(x) return x % 3 ~= 0 end),
                  function(x) return x * x % 1009 end)
local psum, pcount = 0, 0
while true do
  local x = stage()
  if x == nil then break end
  psum = psum + x
  pcount = pcount + 1
end
local dsum, dcount = 0, 0
for x = 1, N do
  if x % 3 ~= 0 then dsum = dsum + x * x % 1009; dcount = dcount + 1 end
end
if psum ~= dsum or pcount ~= dcount then
  error(string.format("coroutines: pipeline gave %d/%d, expected %d/%d", psum, pcount, dsum, dcount))
end

-- 3. the sieve of filter coroutines
local LIMIT = 400
local function numbers()
  return create(function()
    for i = 2, LIMIT - 1 do yield(i) end
  end)
end
local function sieve_filter(source, p)
  return create(function()
    while true do
      local ok, x = resume(source)
      if not ok then error(x) end
      if x == nil then return end
      if x % p ~= 0 then yield(x) end
    end
  end)
end
local function coroutine_sieve()
  local src = numbers()
  local count, last = 0, 0
  while true do
    local ok, p = resume(src)
    if not ok then error("coroutines: sieve failed: " .. tostring(p)) end
    if p == nil then break end
    count = count + 1
    last = p
    src = sieve_filter(src, p)
  end
  return count, last
end
local nprimes, lastprime = 0, 0
for _ = 1, math.floor(N / 20000) + 1 do
  local count, last = coroutine_sieve()
  if count ~= 78 or last ~= 397 then
    error(string.format("coroutines: sieve found %d primes up to %d, expected 78 up to 397", count, last))
  end
  nprimes = nprimes + count
  lastprime = last
end

io.write(string.format("coroutines %d %d %d %d %d %d\n", holder, switches, psum, pcount, nprimes, lastprime))
