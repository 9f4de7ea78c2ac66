-- tracejit: --jit-eager
-- Inlined functions that end in a tail call of a library function: `return floor(x / 2)` has IR of
-- its own (FPMATH), `return setmetatable(...)` is a CALLN completed in the caller, with its result
-- where the return puts it.
local floor = math.floor
local mt = {}
local function f(x) return floor(x / 2) end
local function box(x) return setmetatable({ v = x }, mt) end
local s = 0
for i = 1, 10 do s = s + f(i) + box(i).v end
print(s)
