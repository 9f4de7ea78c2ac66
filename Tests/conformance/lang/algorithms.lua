-- classic small algorithms
local function sieve(n)
  local is = {}
  for i = 2, n do is[i] = true end
  for i = 2, math.floor(math.sqrt(n)) do
    if is[i] then for j = i * i, n, i do is[j] = false end end
  end
  local primes = {}
  for i = 2, n do if is[i] then primes[#primes + 1] = i end end
  return primes
end
local p = sieve(100)
print(#p, table.concat(p, " "))
local function qsort(t, lo, hi)
  lo = lo or 1; hi = hi or #t
  if lo < hi then
    local pivot, i = t[hi], lo - 1
    for j = lo, hi - 1 do
      if t[j] <= pivot then i = i + 1; t[i], t[j] = t[j], t[i] end
    end
    t[i + 1], t[hi] = t[hi], t[i + 1]
    qsort(t, lo, i); qsort(t, i + 2, hi)
  end
  return t
end
print(table.concat(qsort({5, 3, 9, 1, 5, 7, 2, 8, 0, 6, 4}), " "))
local function gcd(a, b) while b ~= 0 do a, b = b, a % b end return a end
print(gcd(48, 18), gcd(17, 5), gcd(0, 9))
local memo = {}
local function fib(n) if n <= 2 then return 1 end if memo[n] then return memo[n] end local v = fib(n - 1) + fib(n - 2); memo[n] = v; return v end
print(fib(50), fib(78))
local function bsearch(t, x)
  local lo, hi = 1, #t
  while lo <= hi do
    local mid = math.floor((lo + hi) / 2)
    if t[mid] == x then return mid elseif t[mid] < x then lo = mid + 1 else hi = mid - 1 end
  end
  return nil
end
print(bsearch(p, 37), bsearch(p, 38), bsearch(p, 2), bsearch(p, 97))
-- matrix multiply
local function matmul(a, b)
  local n, m, q = #a, #b, #b[1]
  local c = {}
  for i = 1, n do c[i] = {} for j = 1, q do local s = 0 for k = 1, m do s = s + a[i][k] * b[k][j] end c[i][j] = s end end
  return c
end
local c = matmul({{1, 2}, {3, 4}}, {{5, 6}, {7, 8}})
print(c[1][1], c[1][2], c[2][1], c[2][2])
-- collatz lengths
local best, bestn = 0, 0
for n = 1, 10000 do
  local steps, x = 0, n
  while x ~= 1 do if x % 2 == 0 then x = x / 2 else x = 3 * x + 1 end steps = steps + 1 end
  if steps > best then best, bestn = steps, n end
end
print(bestn, best)
-- permutations
local function permute(a, n, out)
  if n == 0 then out[#out + 1] = table.concat(a) return end
  for i = 1, n do a[n], a[i] = a[i], a[n]; permute(a, n - 1, out); a[n], a[i] = a[i], a[n] end
end
local perms = {}
permute({"a", "b", "c"}, 3, perms)
table.sort(perms)
print(#perms, table.concat(perms, " "))
