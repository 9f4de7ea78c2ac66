-- relational and equality operators
print(1 < 2, 2 < 1, 1 <= 1, 1 >= 2, 2 > 1, 1 ~= 1, 1 == 1.0)
print("a" < "b", "a" < "B", "B" < "a", "" < "a", "a" < "aa", "ab" < "b")
print("a\0b" < "a\0c", "a\0" > "a", "\255" > "\1")
print("Z" <= "Z", "10" < "2", "abc" >= "abd")
-- equality across types is false, never an error
print(1 == "1", nil == false, {} == {}, "x" == nil, 0 == false)
local t = {}
local f = function() end
print(t == t, f == f, t ~= {}, print == print)
-- comparing different types raises errors
print(pcall(function() return 1 < "2" end))
print(pcall(function() return "1" <= 2 end))
print(pcall(function() return {} < {} end))
print(pcall(function() return nil > 1 end))
print(pcall(function() return true < false end))
print(pcall(function() return f < f end))
-- -0 and 0
print(0 == -0, -0 < 0, 0 <= -0)
-- nan
local nan = 0/0
print(nan == nan, nan < 1, nan >= 1, not (nan < 1))
-- a > b is b < a
local log = {}
local mt = {__lt = function(a, b) log[#log + 1] = a.n .. "<" .. b.n; return a.n < b.n end}
local A, B = setmetatable({n = "A"}, mt), setmetatable({n = "B"}, mt)
print(A < B, A > B, B > A)
print(table.concat(log, " "))
