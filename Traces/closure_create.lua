-- tracejit: --jit-eager
-- Closures made in a loop are recorded: FNEW makes the closure (the loop local it captures is
-- first stored to its stack slot, SSTORE, where the open upvalue points), UCLO closes the
-- iteration's upvalues before the back-edge, and the loop allocates, so a GCSTEP guards its end.
local fs = {}
for i = 1, 10 do
  local x = i * 2
  fs[i] = function() return x end
end
print(fs[1](), fs[10]())
