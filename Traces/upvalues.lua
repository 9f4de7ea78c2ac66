-- tracejit: --jit-eager
-- Upvalues: a closure created outside the loop reads and writes its upvalues (UGET with a type
-- guard, USET); the loop in the closure's caller inlines it.
local count, step = 0, 3
local function bump()
  count = count + step
  return count
end
local last = 0
for i = 1, 25 do
  last = bump()
end
print(count, last)
