-- evaluation order of arguments, table constructors and binary operands (left to right)
local log = {}
local function L(tag, v) log[#log + 1] = tag; return v end
local function show() print(table.concat(log, " ")); log = {} end
local function f(...) return select("#", ...) end
f(L("a", 1), L("b", 2), L("c", 3))
show()
local t = {L("x", 1), L("y", 2), k = L("z", 3)}
show()
local s = L("l", 1) + L("r", 2)
show()
local c = L("l", "a") .. L("m", "b") .. L("r", "c")
show()
local b = L("l", false) and L("r", true)
show()
b = L("l", nil) or L("r", 1)
show()
b = L("l", 1) or L("r", 2)
show()
local cmp = L("l", 1) < L("r", 2)
show()
print(s, c, b, cmp, t[1], t[2], t.k)
