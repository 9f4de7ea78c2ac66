-- fib: the doubly recursive Fibonacci function.
-- Measures: the cost of a Lua call and return (frame setup, argument
-- passing, a compare and two adds per call).
-- Size: N; fib(N) makes 2 fib(N+1) - 1 calls. Checked against an iterative
-- computation for any N.
local N = tonumber(arg and arg[1]) or 40

local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

local r = fib(N)
local a, b = 0, 1
for _ = 1, N do a, b = b, a + b end
if r ~= a then error(string.format("fib: fib(%d) = %d, expected %d", N, r, a)) end
io.write(string.format("fib %d\n", r))
