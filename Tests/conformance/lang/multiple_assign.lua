-- multiple assignment: all expressions evaluated before any assignment
local a, b = 1, 2
a, b = b, a
print(a, b)
local x, y, z = 1, 2, 3
x, y, z = z, x, y
print(x, y, z)
-- the manual's example: index expression evaluated before assignment
local i = 3
local t = {}
i, t[i] = i + 1, 20
print(i, t[3], t[4])
-- swap through table fields
local p = {1, 2}
p[1], p[2] = p[2], p[1]
print(p[1], p[2])
-- fewer values: extra targets get nil
local u, v, w = 1
print(u, v, w)
u, v, w = 7
print(u, v, w)
-- more values: extras evaluated and dropped
local calls = 0
local function f() calls = calls + 1; return calls end
local m = f(), f(), f()
print(m, calls)
-- a function call in the last position expands
local function three() return "a", "b", "c" end
local q1, q2, q3, q4 = 0, three()
print(q1, q2, q3, q4)
-- in a non-last position it is truncated to one value
q1, q2, q3, q4 = three(), 0
print(q1, q2, q3, q4)
-- parentheses truncate
q1, q2, q3 = (three())
print(q1, q2, q3)
-- assignment to globals and fields mixed
local obj = {}
G1, obj.f, obj["g"] = "g1", "f", "g"
print(G1, obj.f, obj.g)
-- nested table targets evaluated before assignment
local tt = {inner = {}}
local k = "inner"
tt[k].v, k = 99, "other"
print(tt.inner.v, k)
