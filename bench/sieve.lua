-- sieve: the sieve of Eratosthenes up to 100000, run N times, each pass on a
-- freshly built table of booleans.
-- Measures: array stores and loads in strided loops, table growth.
-- Size: number of passes. Result: primes below the limit and their sum
-- (9592 and 454396537: checked every pass).
local N = tonumber(arg and arg[1]) or 800
local LIMIT = 100000

local function sieve(limit)
  local composite = {}
  for i = 1, limit do composite[i] = false end
  local count, sum = 0, 0
  for i = 2, limit - 1 do
    if not composite[i] then
      count = count + 1
      sum = sum + i
      for j = i * i, limit, i do composite[j] = true end
    end
  end
  return count, sum
end

local total = 0
for pass = 1, N do
  local count, sum = sieve(LIMIT)
  if count ~= 9592 or sum ~= 454396537 then
    error(string.format("sieve: pass %d found %d primes summing to %d", pass, count, sum))
  end
  total = total + count
end
io.write(string.format("sieve %d %d\n", N, total))
