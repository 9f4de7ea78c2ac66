-- table constructors
local t = {1, 2, 3; 4, 5}
print(#t, t[4])
t = {[3] = "a", [2] = "b", "c"}          -- no repeated keys: assignment order in constructors is unspecified
print(t[1], t[2])
t = {x = 1, ["y"] = 2, [3 + 1] = 4, [true] = "t"}
print(t.x, t.y, t[4], t[true])
t = {1, 2, 3,}
print(#t)
t = {"a";}
print(#t)
t = {{1, 2}, {3, {4}}}
print(t[2][2][1])
t = {f = function(x) return x * 2 end, ["g h"] = 1}
print(t.f(21), t["g h"])
local k = "dyn"
t = {[k] = 1, [k .. "2"] = 2}
print(t.dyn, t.dyn2)
t = {[1.5] = "float", [-1] = "neg", [0] = "zero"}
print(t[1.5], t[-1], t[0], #t)
t = {n = nil, 1, nil, 3}
print(t[1], t[2], t[3])
local function mv() return "a", "b" end
t = {mv(), mv(), x = mv()}
print(t[1], t[2], t[3], t.x)
t = {[2^53] = "big"}
print(t[2^53])
t = {}
t[1.0] = "one"
print(t[1])
t[-0] = "zero"
print(t[0])
-- a large constructor
local big = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
  21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60}
print(#big, big[60])
-- nil index in constructor
print(pcall(function() return {[nil] = 1} end))
print(pcall(function() local n = 0/0; return {[n] = 1} end))
