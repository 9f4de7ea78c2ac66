-- errors raised while a deep recursion unwinds, and stack overflows inside deep recursion
local function bad(n)
  if n == 0 then return nil end
  local r = bad(n - 1)
  if n < 100 then return r end
  return r + n          -- r is nil at n = 100
end
print(pcall(bad, 99))
print(pcall(bad, 300))

local function breaks(n, at)
  if n == 0 then return 0 end
  local r = breaks(n - 1, at)
  if n == at then return {} end
  return r + 1
end
local ok, e = pcall(breaks, 200, 150)
print(ok, e)
print(pcall(breaks, 200, 201))

-- error() thrown from the middle of the unwinding, caught and retried
local function thrower(n, at)
  if n == 0 then return 0 end
  local r = thrower(n - 1, at)
  if n == at then error("unwound to " .. n) end
  return r + n
end
for _, at in ipairs({ 500, 20, 399, 1 }) do
  print(pcall(thrower, 400, at))
end

-- stack overflow: the recursion never reaches its base case
local function forever(n) return forever(n + 1) + 1 end
ok, e = pcall(forever, 1)
print(ok, (e:gsub("^[^:]*:%d+: ", "")))
-- overflow with a base case that is too deep, then a normal deep recursion
local function deep(n) if n == 0 then return 0 end return deep(n - 1) + 1 end
ok, e = pcall(deep, 1e7)
print(ok, (e:gsub("^[^:]*:%d+: ", "")))
print(deep(5000))
-- mutual recursion overflowing
local p, q
p = function(n) return q(n + 1) + 1 end
q = function(n) return p(n + 1) * 1 end
ok, e = pcall(p, 0)
print(ok, (e:gsub("^[^:]*:%d+: ", "")))
print(deep(100), deep(3000))
