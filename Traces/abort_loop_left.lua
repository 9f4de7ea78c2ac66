-- tracejit: --jit-eager --jit-param maxabort=2 --jit-param unrollshort=0
-- Abort: "loop left". A loop of two iterations starts recording at its first back-edge, then the
-- recorded iteration is its last: FORLOOP falls through before the trace could close. After two
-- such aborts the loop is blacklisted; the third call runs it in the interpreter only.
local function f(k)
  local s = 0
  for i = 1, 2 do s = s + i * k end
  return s
end
print(f(1) + f(2) + f(3))
