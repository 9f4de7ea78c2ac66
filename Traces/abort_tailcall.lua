-- tracejit: --jit-eager --jit-param maxabort=2
-- Abort: an inlined function that ends in a tail call of a library function ("NYI: tail call of a native function").
local floor = math.floor
local function f(x) return floor(x / 2) end
local s = 0
for i = 1, 10 do s = s + f(i) end
print(s)
