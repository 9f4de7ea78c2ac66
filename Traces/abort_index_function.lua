-- tracejit: --jit-eager --jit-param maxabort=2
-- Abort: a missing key whose metatable's __index is a function ("NYI: __index function").
local t = setmetatable({}, { __index = function(_, k) return k * 2 end })
local s = 0
for i = 1, 10 do s = s + t[i] end
print(s)
