-- findmax: the maximum of a 10-element array, found by a small loop in a function called
-- N million times (the JIT issue's target: LuaJIT's JIT runs it 6.8x faster than lua5.4).
-- Measures: a short inner loop entered over and over, array loads, a compare-and-keep branch.
-- Size: millions of calls. Result: the sum of all maxima (10 per call, checked exactly).
local N = tonumber(arg and arg[1]) or 20

local function findMax(t)
  local m = t[1]
  for i = 2, #t do
    if t[i] > m then m = t[i] end
  end
  return m
end

local t = {3, 9, 2, 7, 5, 8, 1, 6, 4, 10}
local calls = N * 1000000
local sum = 0
for k = 1, calls do
  sum = sum + findMax(t)
end
if sum ~= 10 * calls then
  error(string.format("findmax: sum %d, expected %d", sum, 10 * calls))
end
print(string.format("findmax %d %d", calls, sum))
