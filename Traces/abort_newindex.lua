-- tracejit: --jit-eager --jit-param maxabort=2
-- Abort: storing a new key into a table with a metatable (its __newindex may run): "NYI: __newindex".
local log = {}
local t = setmetatable({}, { __newindex = function(t, k, v) rawset(t, k, v * 10) end })
for i = 1, 10 do t[i] = i end
print(t[1], t[10])
