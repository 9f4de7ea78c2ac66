-- tracejit: --jit-eager --jit-param maxtrace=2
-- Trace flush: with room for only 2 traces, recording a third loop's trace flushes all traces
-- ("[TRACE flush -- trace limit]") and trace numbers start again at 1.
local a, b, c = 0, 0, 0
for i = 1, 10 do a = a + i end
for i = 1, 10 do b = b + 2 * i end
for i = 1, 10 do c = c + 3 * i end
print(a, b, c)
