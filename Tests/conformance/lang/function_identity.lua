-- each evaluation of a function expression creates a closure; identity and equality
local function mk() return function() end end
local a, b = mk(), mk()
print(a == a, a == b, a ~= b)
local t = {}
t[a] = 1; t[b] = 2
print(t[a], t[b])
print(type(a), type(mk), type(print), type(string.format))
print(print == print, string.len == ("").len)
local fs = {}
for i = 1, 3 do fs[i] = mk() end
print(fs[1] == fs[2], fs[2] == fs[3])
