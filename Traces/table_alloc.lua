-- tracejit: --jit-eager
-- Allocation in a trace: a table constructor (TNEW, with stores into the new table) in the loop
-- body. A trace that allocates ends with GCSTEP, a guard that exits when a collection is due.
local list = {}
for i = 1, 30 do
  local p = { x = i, y = i * 2 }
  list[i] = p
end
local s = 0
for i = 1, 30 do s = s + list[i].x + list[i].y end
print(s)
