-- tracejit: --hotness=counter --jit-param hotloop=3 --jit-param hotexit=2
-- Short loops unrolled (RecordUnroll.swift): a numeric for loop with a constant start and step
-- and a trip count of at most `unrollshort` (15), whose activation begins inside a trace, is
-- recorded through: each iteration's index is a constant, so the array indexes and bounds checks
-- fold. The inner loop gets its trace first (it is hot first); the side trace from its branch
-- goes round the outer loop and unrolls the next call's loop, then ends at the outer loop's
-- header the second time round; the outer loop's own trace unrolls the whole call, and the side
-- trace is relinked to it.
local function findMax(t)
  local m = t[1]
  for i = 2, #t do
    if t[i] > m then m = t[i] end
  end
  return m
end
local t = { 3, 9, 2, 7, 5, 8, 1, 6, 4, 10 }
local sum = 0
for k = 1, 200 do sum = sum + findMax(t) end
print(sum)
