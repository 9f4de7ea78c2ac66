-- tracejit: --jit-eager --jit-param maxabort=2
-- Abort: an inlined function that ends in a tail call ("NYI: tail call").
local function twice(x) return x * 2 end
local function f(x) return twice(x + 1) end
local s = 0
for i = 1, 10 do s = s + f(i) end
print(s)
