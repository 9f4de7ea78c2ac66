-- tracejit: --jit-eager --jit-param maxabort=2
-- Abort: calling a table through its __call metamethod ("NYI: calling a table (__call)").
local adder = setmetatable({ n = 0 }, { __call = function(self, x) self.n = self.n + x; return self.n end })
for i = 1, 10 do adder(i) end
print(adder.n)
