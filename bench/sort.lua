-- sort: sorting arrays of numbers, strings and records: a hand-written
-- heapsort and a quicksort (insertion sort for short ranges) on numbers,
-- and table.sort with and without a comparator on strings and records.
-- Measures: array reads/writes with computed indices, compares, calls to a
-- comparator from the library, string comparison.
-- Size: N elements per array (each algorithm sorts its own copy).
local N = tonumber(arg and arg[1]) or 200000

local seed = 99
local function rand(n)
  seed = (seed * 16807) % 2147483647
  return seed % n
end

local function heapsort(a, n)
  local function sift(start, stop)
    local root = start
    while true do
      local child = 2 * root
      if child > stop then return end
      if child < stop and a[child] < a[child + 1] then child = child + 1 end
      if a[root] < a[child] then
        a[root], a[child] = a[child], a[root]
        root = child
      else
        return
      end
    end
  end
  for start = math.floor(n / 2), 1, -1 do sift(start, n) end
  for stop = n, 2, -1 do
    a[1], a[stop] = a[stop], a[1]
    sift(1, stop - 1)
  end
end

local function quicksort(a, lo, hi)
  while hi - lo > 12 do
    -- median of three as the pivot
    local mid = math.floor((lo + hi) / 2)
    if a[mid] < a[lo] then a[mid], a[lo] = a[lo], a[mid] end
    if a[hi] < a[lo] then a[hi], a[lo] = a[lo], a[hi] end
    if a[hi] < a[mid] then a[hi], a[mid] = a[mid], a[hi] end
    local pivot = a[mid]
    local i, j = lo, hi
    while i <= j do
      while a[i] < pivot do i = i + 1 end
      while pivot < a[j] do j = j - 1 end
      if i <= j then
        a[i], a[j] = a[j], a[i]
        i = i + 1; j = j - 1
      end
    end
    -- recurse into the smaller part, loop on the larger
    if j - lo < hi - i then quicksort(a, lo, j); lo = i
    else quicksort(a, i, hi); hi = j end
  end
  for i = lo + 1, hi do
    local v = a[i]
    local j = i - 1
    while j >= lo and a[j] > v do a[j + 1] = a[j]; j = j - 1 end
    a[j + 1] = v
  end
end

local function check_sorted(a, n, less, what)
  for i = 2, n do
    if less(a[i], a[i - 1]) then error("sort: " .. what .. " is not sorted at " .. i) end
  end
end
local function lt(x, y) return x < y end

local nums = {}
for i = 1, N do nums[i] = rand(1000000) + rand(1000) / 1000 end
local h, q = {}, {}
for i = 1, N do h[i] = nums[i]; q[i] = nums[i] end
heapsort(h, N)
check_sorted(h, N, lt, "heapsort")
quicksort(q, 1, N)
check_sorted(q, N, lt, "quicksort")
for i = 1, N do
  if h[i] ~= q[i] then error("sort: heapsort and quicksort disagree at " .. i) end
end

local SYL = { "ka", "lo", "mi", "nu", "pe", "ra", "si", "to", "vu", "ze" }
local strs = {}
for i = 1, N do
  strs[i] = SYL[rand(10) + 1] .. SYL[rand(10) + 1] .. SYL[rand(10) + 1] .. string.format("%05d", i % 7919)
end
table.sort(strs)
check_sorted(strs, N, lt, "table.sort of strings")

local recs = {}
for i = 1, N do recs[i] = { key = rand(5000), id = i } end
table.sort(recs, function(x, y)
  if x.key ~= y.key then return x.key > y.key end
  return x.id < y.id
end)
for i = 2, N do
  local x, y = recs[i - 1], recs[i]
  if x.key < y.key or (x.key == y.key and x.id > y.id) then error("sort: records out of order at " .. i) end
end

local c = 0
for i = 1, N, 97 do
  c = (c + math.floor(h[i] * 1000) % 1000003 + string.byte(strs[i], 3) + recs[i].id) % 1000003
end
local result = string.format("%d %s %s %d", c, strs[1], strs[N], recs[1].id)
local expected = { [2000] = "19347 kakaka00384 zezeze01085 728", [200000] = "192857 kakaka00013 zezeze07887 762" }
if expected[N] and result ~= expected[N] then
  error("sort: got " .. result .. ", expected " .. expected[N])
end
io.write("sort ", result, "\n")
