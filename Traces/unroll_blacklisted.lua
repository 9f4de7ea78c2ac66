-- tracejit: --jit-eager --jit-param maxabort=2 --jit-param unrollshort=0
-- An inner loop without a trace of its own: a side trace records through its back-edges,
-- unrolling it (each loop test a guard, at most loopunroll back-edges); a root trace aborts
-- there ("inner loop not compiled yet") unless the inner loop is blacklisted and never will have
-- a trace. Here the inner loop leaves during its recordings ("loop left") and is blacklisted;
-- side trace 2 unrolls it and stops at the return.
local function count_small(t)
  local c = 0
  for i = 1, #t do
    if t[i] < 3 then c = c + 1 else break end
  end
  return c
end
local data = { { 1, 5 }, { 2, 7 }, { 9 }, { 1, 2 } }
local total = 0
for r = 1, 40 do total = total + count_small(data[r % 4 + 1]) end
print(total)
