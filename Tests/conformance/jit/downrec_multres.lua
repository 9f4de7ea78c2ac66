-- recursions returning several results, a varying number of results, and all results
local function fibpair(n)
  if n == 0 then return 0, 1 end
  local a, b = fibpair(n - 1)
  return b, a + b
end
print(fibpair(30))
print(fibpair(1))
print(fibpair(40))

-- returns all the values of the call below it (RET with a variable count)
local function upto(n)
  if n == 0 then return end
  return n, upto(n - 1)
end
print(select('#', upto(20)), upto(5))
local t = { upto(60) }
print(#t, t[1], t[60])

-- three results, one of them a table built on the way back
local function stats(n)
  if n == 0 then return 0, 0, {} end
  local s, q, l = stats(n - 1)
  l[#l + 1] = n
  return s + n, q + n * n, l
end
local s, q, l = stats(100)
print(s, q, #l, l[1], l[100])

-- fewer results wanted than returned, and more than returned
local function two(n) if n == 0 then return 1, 2 end local x = two(n - 1) return x + 1, x end
local function one(n) if n == 0 then return 5 end local x, y = one(n - 1) return x + (y or 0) end
print(two(50), one(50))
