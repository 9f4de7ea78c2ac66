-- tracejit: --jit-eager --jit-param maxabort=2
-- Abort: a closure made before the loop reads a local the loop changes ("NYI: upvalue of a local
-- the trace changed": the trace keeps the local in a register, the upvalue reads its stack slot).
-- (Closure creation itself is recorded now: see closure_create.lua.)
local n = 0
local get = function() return n end
local s = 0
for i = 1, 10 do
  n = n + i
  s = s + get()
end
print(s)
