-- tracejit: --jit-eager --jit-param maxabort=2
-- Abort: "inlining too deep". A recursive function called from the loop is inlined call by call
-- until maxinline (8) frames are exceeded.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local s = 0
for i = 1, 4 do s = s + fib(12) end
print(s)
