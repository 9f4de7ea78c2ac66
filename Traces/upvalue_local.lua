-- tracejit: --jit-eager --jit-param maxabort=2
-- Locals captured by closures that the trace calls: an UGET of an open upvalue reads the local's
-- stack slot, which holds its value only while the trace keeps none of its own. A trace that
-- changes such a local (n = n + 1) aborts ("NYI: upvalue of a local the trace changed"); a USET
-- writes the slot, and later reads of the local load it again (second loop); a local the trace
-- only reads is fine (third loop).
local n = 0
local function get() return n end
local function put(x) n = x end
local s = 0
for i = 1, 30 do s = s + get(); n = n + 1 end
print(n, s)
local m = 0
for i = 1, 30 do put(i); m = m + n end
print(n, m)
local k = 5
local function getk() return k end
local t = 0
for i = 1, 30 do t = t + getk() end
print(t)
