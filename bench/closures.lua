-- closures: higher-order functions and callbacks. map/filter/reduce with
-- fresh closures, composition and partial application with varargs,
-- accumulators sharing upvalues, stateful generic-for iterators, an event
-- emitter dispatching to listener closures, memoisation.
-- Measures: closure creation, upvalue reads and writes (open and closed),
-- calls through function values, vararg handling (select, unpack).
-- Size: N rounds over an array of 1000 numbers.
local N = tonumber(arg and arg[1]) or 12000
local unpack = unpack or table.unpack
local select = select

local function map(t, f)
  local r = {}
  for i = 1, #t do r[i] = f(t[i]) end
  return r
end

local function filter(t, p)
  local r, n = {}, 0
  for i = 1, #t do
    local v = t[i]
    if p(v) then n = n + 1; r[n] = v end
  end
  return r
end

local function reduce(t, f, acc)
  for i = 1, #t do acc = f(acc, t[i]) end
  return acc
end

local function compose(...)
  local fs = { ... }
  local n = select("#", ...)
  return function(x)
    for i = n, 1, -1 do x = fs[i](x) end
    return x
  end
end

local function partial(f, ...)
  local bound = { ... }
  local nb = select("#", ...)
  return function(...)
    local args = { unpack(bound, 1, nb) }
    local na = select("#", ...)
    for i = 1, na do args[nb + i] = (select(i, ...)) end
    return f(unpack(args, 1, nb + na))
  end
end

local function range(from, to, step) -- a stateful iterator closure
  local i = from - step
  return function()
    i = i + step
    if i <= to then return i end
  end
end

local function counter()
  local n = 0
  local function inc(k) n = n + (k or 1); return n end
  local function get() return n end
  return inc, get
end

local function emitter()
  local listeners, nl = {}, 0
  local self = {}
  function self.on(f) nl = nl + 1; listeners[nl] = f end
  function self.emit(...)
    for i = 1, nl do listeners[i](...) end
  end
  return self
end

local function memoize(f)
  local cache = {}
  return function(x)
    local v = cache[x]
    if v == nil then v = f(x); cache[x] = v end
    return v
  end
end

local data = {}
for i = 1, 1000 do data[i] = (i * 7919) % 1000 end

local function weigh3(a, b, c) return a * 3 + b * 2 + c end
local collatz_len = memoize(function(x)
  local steps = 0
  while x ~= 1 do
    if x % 2 == 0 then x = x / 2 else x = 3 * x + 1 end
    steps = steps + 1
  end
  return steps
end)

local total = 0
local inc, get = counter()
local ev = emitter()
local seen_sum, seen_max = 0, 0
ev.on(function(k, v) seen_sum = (seen_sum + k * v) % 1000003 end)
ev.on(function(k, v) if v > seen_max then seen_max = v end end)
ev.on(function(k) inc(k % 3) end)

for round = 1, N do
  local offset = round % 17
  local shifted = map(data, function(x) return x + offset end)
  local evens = filter(shifted, function(x) return x % 2 == 0 end)
  local sum = reduce(evens, function(a, b) return a + b end, 0)
  local f = compose(function(x) return x + 1 end, function(x) return x * 2 end,
                    function(x) return x - offset end)
  local g = partial(weigh3, round % 5, offset)
  local acc = 0
  for i in range(1, #evens, 3) do
    acc = acc + f(evens[i]) + g(i)
  end
  ev.emit(round, sum % 1009)
  acc = acc + collatz_len(round % 500 + 1)
  total = (total + sum + acc) % 1000003
end

local result = string.format("%d %d %d %d", total, seen_sum, seen_max, get())
local expected = { [20] = "282524 50457 277 21", [12000] = "887687 21512 277 12000" }
if expected[N] and result ~= expected[N] then
  error("closures: got " .. result .. ", expected " .. expected[N])
end
io.write("closures ", result, "\n")
