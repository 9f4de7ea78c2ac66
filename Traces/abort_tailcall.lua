-- tracejit: --jit-eager --jit-param maxabort=2
-- Abort: an inlined function that ends in a tail call of a callable table ("NYI: tail call of a
-- table"; a plain call of one is inlined through __call).
local adder = setmetatable({}, { __call = function(self, x) return x + 1 end })
local function f(x) return adder(x) end
local s = 0
for i = 1, 10 do s = s + f(i) end
print(s)
