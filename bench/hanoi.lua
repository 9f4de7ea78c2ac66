-- hanoi: the towers of Hanoi solved recursively, moving real disks between
-- three peg stacks and checking every move is legal.
-- Measures: deep non-tail recursion with several arguments, small array
-- push/pop through length-tracked stacks.
-- Size: N disks (2^N - 1 moves, checked exactly, as is the final tower).
local N = tonumber(arg and arg[1]) or 25

local pegs = { {}, {}, {} }
local height = { N, 0, 0 }
for i = 1, N do pegs[1][i] = N - i + 1 end -- largest disk at the bottom

local moves, weighted = 0, 0

local function move_disk(from, to)
  local hf, ht = height[from], height[to]
  local disk = pegs[from][hf]
  if ht > 0 and pegs[to][ht] < disk then
    error(string.format("hanoi: disk %d placed on smaller disk %d", disk, pegs[to][ht]))
  end
  pegs[from][hf] = nil
  height[from] = hf - 1
  pegs[to][ht + 1] = disk
  height[to] = ht + 1
  moves = moves + 1
  weighted = (weighted + disk * (from * 3 + to)) % 1000003
end

local function solve(n, from, to, via)
  if n == 0 then return end
  solve(n - 1, from, via, to)
  move_disk(from, to)
  solve(n - 1, via, to, from)
end

solve(N, 1, 3, 2)

if moves ~= 2 ^ N - 1 then error(string.format("hanoi: %d moves, expected %d", moves, 2 ^ N - 1)) end
if height[1] ~= 0 or height[2] ~= 0 or height[3] ~= N then error("hanoi: tower not moved") end
for i = 1, N do
  if pegs[3][i] ~= N - i + 1 then error("hanoi: final tower out of order") end
end
local result = string.format("%d %d", moves, weighted)
local expected = { [10] = "1023 16178", [25] = "33554431 868438" }
if expected[N] and result ~= expected[N] then
  error("hanoi: got " .. result .. ", expected " .. expected[N])
end
io.write("hanoi ", result, "\n")
