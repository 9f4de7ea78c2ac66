-- tracejit: --jit-eager --jit-param maxabort=2
-- Aborts on multiple results. A fixed number of results is fine (the first loop gets a trace), but
-- a call passing all results of another call to a third one ("NYI: call keeping all results")
-- and a return of all results of a call ("NYI: return of multiple results") are not recorded.
local function two(x) return x, x + 1 end
local function add(a, b) return a + b end
local function three(x) return x, two(x) end
local s = 0
for i = 1, 10 do
  local a, b = two(i)
  s = s + a + b
end
local u = 0
for i = 1, 10 do u = add(two(i)) + u end
local v = 0
for i = 1, 10 do
  local a, b, c = three(i)
  v = v + a + b + c
end
print(s, u, v)
