-- function definition forms
function gf(a, b) return a + b end
print(gf(1, 2))
local M = {sub = {}}
function M.f(x) return "M.f " .. x end
function M.sub.g(x) return "M.sub.g " .. x end
function M.sub:h(x) return self == M.sub, x end
print(M.f(1), M.sub.g(2), M.sub:h(3))
print(M.sub.h(M.sub, 4))
print(M.sub.h(nil, 5))
local function lf(...) return select("#", ...) end
print(lf(1, 2))
local anon = function(x) return x end
print(anon("anon"))
print((function(...) return ... end)("iife", 2))
-- missing arguments are nil, extra are dropped
local function two(a, b) return a, b end
print(two(), two(1), two(1, 2, 3))
-- functions are first-class values
local ops = {add = function(a, b) return a + b end, mul = function(a, b) return a * b end}
local names = {}
for k in pairs(ops) do names[#names + 1] = k end
table.sort(names)
for _, k in ipairs(names) do print(k, ops[k](6, 7)) end
-- returning functions
local function compose(f, g) return function(...) return f(g(...)) end end
local inc = function(x) return x + 1 end
local dbl = function(x) return x * 2 end
print(compose(inc, dbl)(5), compose(dbl, inc)(5))
-- function with many parameters
local function many(a, b, c, d, e, f, g, h, i, j) return a + b + c + d + e + f + g + h + i + j end
print(many(1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
-- redefining a global function
function gf(a) return "redefined " .. a end
print(gf("x"))
print(type(gf), type(print), type(M.sub.h))
