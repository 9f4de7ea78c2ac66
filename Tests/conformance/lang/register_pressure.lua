-- expressions with many temporaries: nested calls, constructors and operators in argument lists
local function id(...) return ... end
local function sum(...) local s = 0 for i = 1, select("#", ...) do s = s + (select(i, ...)) end return s end
local function pair(a, b) return a, b end
local t = {k = 5, [2] = 7}
print(sum(1, sum(2, sum(3, sum(4, 5))), id(6, 7), pair(8, 9)))
print(sum(id(1, 2), id(3, 4), id(5, 6)))
print(#{id(1, 2, 3), id(4, 5, 6), {id(7, 8)}}, ({id(1, 2, 3)})[3])
local r = {a = sum(1, 2), [sum(5, 5)] = id("ten"), id("one"), sum(id(4, 5)), n = #{pair(1, 2)}}
print(r.a, r[10], r[1], r[2], r.n)
print(sum(t.k * 2, t[2] - t.k, (t.k + t[2]) * (t.k - t[2]), -t.k ^ 2, t.k % 3))
local s = ("x"):rep(3) .. ("y"):rep(2) .. tostring(sum(1, 2)) .. #("abc" .. "de") .. (t.k > 3 and "big" or "small")
print(s)
local function deep(a) return function(b) return function(c) return a * 100 + b * 10 + c end end end
print(deep(1)(2)(3) + deep(sum(1, 1))(id(3))(pair(4, 5)))
local o = {v = 1}
function o:add(...) self.v = self.v + sum(...) return self end
print(o:add(1):add(id(2, 3)):add():add(pair(4, 5)).v)
local x, y, z = id(sum(1, 2), sum(3, 4)), pair(sum(5, 6), sum(7, 8))
print(x, y, z)
local big = sum(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
  id(21, 22, 23), (id(24, 25)), t.k, t[2], #"abcdef", -1, 2 ^ 3, 10 % 4, 7 / 2)
print(big)
local cmp = {sum(1) < sum(2), id("a") .. id("b") == "ab", not id(nil), id(false) or id("dflt"), id(0) and id(1)}
print(cmp[1], cmp[2], cmp[3], cmp[4], cmp[5])
