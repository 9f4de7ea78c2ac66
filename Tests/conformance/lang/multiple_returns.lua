-- multiple results are adjusted to context
local function none() end
local function one() return 1 end
local function three() return 1, 2, 3 end
print(three())
print(three(), "x")
print("x", three())
print((three()))
print(none())
print((none()))
print(none(), "after")
local t = {three(), three()}
print(#t)
t = {three(), (three())}
print(#t)
t = {none(), none()}
print(#t)
local a, b, c, d = three()
print(a, b, c, d)
print(three() + 10)
print(#{three()}, #{(three())})
print(string.rep("ab", three()))
print(math.max(three()), math.max(three(), 0))
-- returning a call returns all its results
local function wrapper() return three() end
print(wrapper())
local function wrapper2() return (three()) end
print(wrapper2())
local function wrapper3() return three(), three() end
print(wrapper3())
-- results used in table constructor with explicit keys
local u = {three(), k = "v", three()}
print(#u, u.k)
-- many return values
local function many(n) if n == 0 then return end return n, many(n - 1) end
print(many(10))
print(select("#", many(100)))
