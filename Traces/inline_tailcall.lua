-- tracejit: --jit-eager
-- An inlined function that ends in a tail call of a Lua function: the callee replaces its frame in the trace.
local function twice(x) return x * 2 end
local function f(x) return twice(x + 1) end
local s = 0
for i = 1, 10 do s = s + f(i) end
print(s)
