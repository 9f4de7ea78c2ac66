-- tracejit: --jit-eager --jit-param maxabort=2
-- Abort: creating a closure inside the loop (FNEW) is not recorded ("NYI: closure creation").
local fs = {}
for i = 1, 10 do
  fs[i] = function() return i end
end
print(fs[1](), fs[10]())
