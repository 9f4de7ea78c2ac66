-- tracejit: --jit-eager --jit-param maxabort=3 --jit-param unrollshort=0
-- Abort: "inner loop not compiled yet". The outer loop's first recording reaches the inner loop's
-- header, which has no trace to link to. The inner loop runs only two iterations, so each of its
-- recordings ends with "loop left" and it is blacklisted after 3 aborts. The outer loop's next
-- recording unrolls the blacklisted inner loop (its loop tests fold away: the bounds are constants).
local s = 0
for i = 1, 12 do
  for j = 1, 2 do s = s + j end
end
print(s)
