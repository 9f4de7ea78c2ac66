-- tracejit: --jit-eager
-- A function trace: `scale` is hot at its first call (eager), recorded from its first
-- instruction to its return (`return`: the interpreter does the return, into whichever caller);
-- later calls from the interpreter enter it. The caller's loop never gets a trace (it makes a
-- closure), so every call comes from the interpreter; the type change at the end exits it.
local function scale(v, k)
  local r = v * k
  return r + 1
end
local s = 0
for i = 1, 5 do
  local _ = function() end
  s = s + scale(i, 3)
end
print(s, scale(0.5, 2), pcall(scale, "x", {}))
