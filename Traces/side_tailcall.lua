-- tracejit: --hotness=counter --jit-param hotloop=5 --jit-param hotexit=3
-- A side trace that starts inside an inlined function meets a tail call in that frame: the frame is
-- popped as by a return (RETF) and the callee inlined in its place, returning where the popped
-- frame would have, so the side trace links back to the loop instead of ending in the interpreter.
local function even(n) return n * 2 end
local function odd(n) return n * 3 + 1 end
local function step(n)
  if n % 2 == 0 then return even(n) end
  return odd(n)
end
local s = 0
for i = 1, 100 do s = s + step(i) end
print(s)
