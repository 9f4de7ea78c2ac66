-- tracejit: --jit-eager
-- Nested loops: the inner loop becomes hot first (trace 1, its own loop). The outer loop's
-- trace then runs into the inner loop's header and links to trace 1 ("-> 1") instead of
-- recording the inner loop again. The inner trace's exit (inner loop done) grows a side trace
-- that finishes the outer iteration.
local total = 0
for i = 1, 30 do
  for j = 1, 20 do
    total = total + i * j
  end
end
print(total)
