-- tracejit: --jit-eager
-- While loop: the trace is anchored at the LOOP instruction after the condition; the loop
-- condition becomes a guard (LT/NLT) whose failure leaves the trace when the loop ends.
local n, steps = 27, 0
while n ~= 1 do
  if n % 2 == 0 then n = n / 2 else n = 3 * n + 1 end
  steps = steps + 1
end
print(steps)
