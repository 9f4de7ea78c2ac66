-- tracejit: --jit-eager --jit-param maxabort=2
-- Abort: a metamethod that stores into a table it did not create ("NYI: store inside a
-- metamethod"). Guards inside an inlined metamethod make the interpreter redo the whole
-- instruction, which would repeat such a store.
local log = {}
local C = {}
C.__add = function(a, b) log[#log + 1] = b; return a.n + b end
local c = setmetatable({ n = 1 }, C)
local s = 0
for i = 1, 10 do s = s + (c + i) end
print(s, #log)
