-- ordinary (non-tail) recursion to moderate depth
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(5000))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(20))
local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end
print(ack(2, 3), ack(3, 3))
local function hanoi(n, a, b, c, moves)
  if n == 0 then return moves end
  moves = hanoi(n - 1, a, c, b, moves)
  moves = moves + 1
  return hanoi(n - 1, c, b, a, moves)
end
print(hanoi(10, "A", "B", "C", 0))
-- recursion through pcall
local function pdepth(n) if n == 0 then return 0 end local ok, v = pcall(pdepth, n - 1) return v + 1 end
print(pdepth(150))
-- recursion building strings
local function tree(n) if n == 0 then return "." end return "(" .. tree(n - 1) .. tree(n - 1) .. ")" end
print(#tree(10), tree(2))
