-- tracejit: --hotness=counter --jit-param hotcall=3 --jit-param hotexit=2
-- Up-recursion: fib's trace reaches the call fib(n - 1), a call of the function it started in,
-- and links back to its own start with the new frame pushed (`up-recursion`, the snapshot lists
-- the frame). The base case exits (n < 2); its side trace returns into the caller (RETF), calls
-- fib(n - 2) and links to trace 1 again. Returns into fib's second call site unwind the recursion:
-- they end at a return trace (down-recursion, see func_downrec).
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
print(fib(12))
