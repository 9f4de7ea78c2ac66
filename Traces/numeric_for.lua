-- tracejit: --jit-eager
-- Numeric for: the simplest trace. Recording starts at the first taken FORLOOP back-edge and
-- closes at the next one (link "loop"). The IR shows the peeled first iteration, LOOP, then the
-- loop body with PHIs for the loop variable and the running sum.
local sum = 0
for i = 1, 100 do
  sum = sum + i * 2
end
print(sum)
