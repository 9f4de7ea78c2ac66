-- binary-trees: build and walk many complete binary trees of small tables,
-- with one long-lived tree alive throughout.
-- Measures: allocation of short-lived tables, garbage collection, recursion.
-- Size: the maximum depth N. A tree of depth d has 2^(d+1) - 1 nodes, so the
-- node counts check exactly for any N.
local N = tonumber(arg and arg[1]) or 15
local MIN_DEPTH = 4
if N < MIN_DEPTH + 2 then N = MIN_DEPTH + 2 end

local function make(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return { make(depth), make(depth) }
end

local function count(tree)
  local left = tree[1]
  if left == nil then return 1 end
  return 1 + count(left) + count(tree[2])
end

local function nodes(depth) return 2 ^ (depth + 1) - 1 end

local total = 0
local function check(got, want, what)
  if got ~= want then
    error(string.format("binary_trees: %s has %d nodes, expected %d", what, got, want))
  end
  total = total + got
end

check(count(make(N + 1)), nodes(N + 1), "stretch tree")
local long_lived = make(N)
for depth = MIN_DEPTH, N, 2 do
  local iterations = 2 ^ (N - depth + MIN_DEPTH)
  local sum = 0
  for _ = 1, iterations do sum = sum + count(make(depth)) end
  check(sum, iterations * nodes(depth), "trees of depth " .. depth)
end
check(count(long_lived), nodes(N), "long-lived tree")
io.write(string.format("binary_trees %d %d\n", N, total))
