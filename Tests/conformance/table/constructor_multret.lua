-- Table constructors ending in a call or `...`: the array part holds every value the call gives,
-- whatever the constructor's size hint; plus constructors with many positional and named fields.
local function none() end
local function one(x) return x end
local function three() return 1, 2, 3 end
local function holes() return 1, nil, 3 end
local function many(n) local t = {} for i = 1, n do t[i] = i * 2 end return unpack(t) end
local function show(t, n)
  local parts = {}
  for i = 1, n do parts[#parts + 1] = tostring(t[i]) end
  return table.concat(parts, ",")
end
local a = { none() }
print(#a, a[1], next(a))
local b = { one(5) }
print(#b, b[1])
local c = { one(nil) }
print(c[1], next(c))
local d = { 0, three() }
print(#d, show(d, 5))
local e = { three(), three() }
print(#e, show(e, 5))
local f = { holes() }
print(f[1], f[2], f[3])
local g = { 10, 20, many(100) }
print(#g, g[1], g[3], g[102], g[103])
local h = { x = 1, y = 2, one(7), one(8) }
print(#h, h[1], h[2], h.x, h.y)
local function va(...) return { ... } end
print(#va(), #va(1), #va(1, 2, 3), va(4, 5)[2])
local function va2(...) return { "first", ... } end
print(#va2(), #va2(1, 2), va2(1, 2)[3])
-- growing after construction
local t = { one(1), one(2) }
for i = 3, 40 do t[i] = i end
t.name = "n"
print(#t, t[40], t.name)
t[1] = nil
local cnt = 0
for k in pairs(t) do cnt = cnt + 1 end
print(cnt)
-- binary trees, as the benchmark builds them
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
local total = 0
for i = 1, 20 do total = total + count(make(i % 8)) end
collectgarbage()
print(total, count(make(10)))
-- many fields
local big = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
  21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60,
  a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8, i = 9, j = 10, k = 11, l = 12,
  three() }
local s = 0
for k, v in pairs(big) do s = s + v end
print(#big, s, big[61], big[63], big.l)
