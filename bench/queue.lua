-- queue: building and draining lists and queues.
--  1. breadth-first search over an implicit graph on 0..M-1 (edges x -> 2x+1,
--     x -> 3x+2, x -> x+7, all mod M) with a head/tail-indexed array queue and
--     a visited table, summing the distances;
--  2. cons-cell linked lists: build, reverse, filter, sum;
--  3. an array used as a stack and as a deque via table.insert/table.remove.
-- Measures: table stores at the end of arrays, small-table allocation,
-- pointer chasing, table.insert/remove.
-- Size: N rounds; round r uses M = 4000 + 16r.
local N = tonumber(arg and arg[1]) or 400

local function bfs(m)
  local dist = {}
  local queue = { 0 }
  dist[0] = 0
  local head, tail = 1, 1
  local sum, maxd = 0, 0
  while head <= tail do
    local x = queue[head]
    head = head + 1
    local d = dist[x] + 1
    local a, b, c = (2 * x + 1) % m, (3 * x + 2) % m, (x + 7) % m
    if dist[a] == nil then dist[a] = d; tail = tail + 1; queue[tail] = a; sum = sum + d end
    if dist[b] == nil then dist[b] = d; tail = tail + 1; queue[tail] = b; sum = sum + d end
    if dist[c] == nil then dist[c] = d; tail = tail + 1; queue[tail] = c; sum = sum + d end
    if d > maxd then maxd = d end
  end
  return tail, sum, maxd
end

local function lists(n)
  local list = nil
  for i = 1, n do list = { value = i * 3 % 1009, next = list } end
  -- reverse in place
  local rev = nil
  while list do
    local nxt = list.next
    list.next = rev
    rev = list
    list = nxt
  end
  -- filter the odd values into a new list, counting the length
  local odd, len = nil, 0
  local p = rev
  while p do
    if p.value % 2 == 1 then odd = { value = p.value, next = odd }; len = len + 1 end
    p = p.next
  end
  local sum, pos = 0, 0
  while odd do
    pos = pos + 1
    sum = (sum + odd.value * pos) % 1000003
    odd = odd.next
  end
  return len, sum
end

local insert, remove = table.insert, table.remove
local function stack_and_deque(n)
  local st = {}
  local acc = 0
  for i = 1, n do
    insert(st, i)
    if i % 3 == 0 then acc = acc + remove(st) end
  end
  while #st > 0 do acc = (acc + remove(st) * (#st + 1)) % 1000003 end
  -- a small deque: push at the back, pop at the front
  local dq = {}
  for i = 1, 64 do dq[i] = i end
  for i = 1, n do
    local x = remove(dq, 1)
    insert(dq, (x + i) % 977)
  end
  for i = 1, #dq do acc = (acc + dq[i] * i) % 1000003 end
  return acc
end

local reached, dsum, dmax, lsum, llen, ssum = 0, 0, 0, 0, 0, 0
for r = 1, N do
  local m = 4000 + 16 * r
  local cnt, s, mx = bfs(m)
  if m % 7 ~= 0 and cnt ~= m then error(string.format("queue: bfs reached %d of %d", cnt, m)) end
  reached = reached + cnt
  dsum = (dsum + s) % 1000003
  if mx > dmax then dmax = mx end
  local len, ls = lists(m)
  llen = llen + len
  lsum = (lsum + ls) % 1000003
  ssum = (ssum + stack_and_deque(m)) % 1000003
end

local result = string.format("%d %d %d %d %d %d", reached, dsum, dmax, llen, lsum, ssum)
local expected = { [2] = "7472 70659 16 4022 824122 547010", [400] = "2824832 401765 19 1440301 906285 403066" }
if expected[N] and result ~= expected[N] then
  error("queue: got " .. result .. ", expected " .. expected[N])
end
io.write("queue ", result, "\n")
