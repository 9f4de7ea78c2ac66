-- sorting larger arrays: result sorted and a permutation of the input
local function lcg(seed) return function() seed = (seed * 1103515245 + 12345) % 2147483648; return seed end end
local rnd = lcg(99)
local function check(t, cmp)
  local counts = {}
  for _, v in ipairs(t) do counts[v] = (counts[v] or 0) + 1 end
  table.sort(t, cmp)
  cmp = cmp or function(a, b) return a < b end
  for i = 2, #t do if cmp(t[i], t[i - 1]) then return false end end
  for _, v in ipairs(t) do counts[v] = counts[v] - 1 end
  for _, c in pairs(counts) do if c ~= 0 then return false end end
  return true
end
for _, n in ipairs({2, 3, 10, 100, 1000, 10000}) do
  local a, b, c, d = {}, {}, {}, {}
  for i = 1, n do
    a[i] = rnd() % 1000
    b[i] = i
    c[i] = n - i
    d[i] = "s" .. (rnd() % 100)
  end
  print(n, check(a), check(b), check(c), check(d), check(a, function(x, y) return x > y end))
end
