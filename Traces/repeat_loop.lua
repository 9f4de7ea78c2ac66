-- tracejit: --jit-eager
-- Repeat loop: the condition is tested at the bottom; the trace starts at the LOOP at the top of
-- the body and its guard on the `until` test exits when the loop is done.
local x, k = 1, 0
repeat
  x = x * 1.5
  k = k + 1
until x > 1e6
print(k, x)
