-- tracejit: --jit-eager --jit-param hotexit=2
-- A short loop unrolled with the trip count it had when recorded: each iteration keeps its loop
-- test as a guard, so a longer array exits at the last unrolled test (the `#t` limit is loaded
-- at every activation). When that exit gets hot the loop is no longer unrolled ("short loop no
-- longer unrolled"): the side trace from it, and later traces, link to the loop's own trace.
-- Loops whose limit is arithmetic on a loop-variant value (`for j = i + 1, n`) or whose start is
-- not a constant are never unrolled.
local function total(t)
  local s = 0
  for i = 1, #t do s = s + t[i] end
  return s
end
local short, long = { 1, 2, 3 }, { 1, 2, 3, 4, 5 }
local acc = 0
for k = 1, 30 do acc = acc + total(k % 3 == 0 and long or short) end
local pairs_ = 0
for i = 1, 6 do
  for j = i + 1, 6 do pairs_ = pairs_ + 1 end
end
print(acc, pairs_)
