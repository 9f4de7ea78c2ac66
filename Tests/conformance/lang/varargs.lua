-- varargs: `...` in calls, tables, assignments, returns
local function count(...) return select("#", ...) end
local function pass(...) return ... end
print(count(), count(nil), count(nil, nil), count(1, nil, 3, nil))
print(pass(1, 2, 3))
print((pass(1, 2, 3)))
print(pass(1, 2, 3), "end")
local function pack(...) return {n = select("#", ...), ...} end
local t = pack(1, nil, 3)
print(t.n, t[1], t[2], t[3])
local function first(...) local a = ... return a end
print(first("x", "y"))
local function firsttwo(...) local a, b = ... return a, b end
print(firsttwo("p"))
local function middle(...) return 0, ..., 9 end  -- truncated in the middle
print(middle(1, 2, 3))
local function tail(...) return 0, ... end
print(tail(1, 2, 3))
local function vatable(...) return #{...}, #{..., "x"}, #{"x", ...} end
print(vatable(1, 2, 3))
-- varargs with fixed parameters
local function fixed(a, b, ...) return a, b, count(...) end
print(fixed(), fixed(1), fixed(1, 2, 3, 4))
-- main-chunk varargs (no script arguments)
print("main", select("#", ...))
-- varargs through multiple levels
local function outer(...) return pass(pass(...)) end
print(outer("a", nil, "c"))
-- varargs in string.format / table.concat
local function fmt(...) return string.format(...) end
print(fmt("%s-%s", "x", "y"))
-- large vararg counts
local big = {}
for i = 1, 200 do big[i] = i end
print(count(unpack(big)), select(200, unpack(big)))
