-- the # operator on strings and proper sequences
print(#"", #"a", #"hello", #"\0\0\0", #"\u{10FFFF}")
print(#{}, #{1}, #{1, 2, 3}, #{nil}, #{n = 1})
local t = {}
for i = 1, 100 do t[i] = i end
print(#t)
t[#t + 1] = "x"
print(#t)
t[#t] = nil
print(#t)
for i = #t, 51, -1 do t[i] = nil end
print(#t)
local s = "abc"
print(#s .. "!", -#s, #s * 2)
print(#"abc" == string.len("abc"))
-- length of table built with varargs
local function n(...) return #{...} end
print(n(1, 2, 3, 4, 5))
-- table.insert keeps sequences
local q = {}
table.insert(q, "a"); table.insert(q, "b"); table.insert(q, 1, "c")
print(#q, q[1], q[2], q[3])
-- # errors
print(pcall(function() return #5 end))
print(pcall(function() return #nil end))
print(pcall(function() local b = true; return #b end))
