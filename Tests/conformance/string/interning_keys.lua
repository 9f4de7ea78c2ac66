-- strings compare by value and work as table keys regardless of how they were built
local a = "hello"
local b = "hel" .. "lo"
local c = string.format("%s", "hello")
local d = ("HELLO"):lower()
local e = table.concat({"h", "e", "l", "l", "o"})
print(a == b, b == c, c == d, d == e)
local t = {}
t[a] = 1
print(t[b], t[c], t[d], t[e])
t[e] = 2
local n = 0
for _ in pairs(t) do n = n + 1 end
print(n, t.hello)
-- long strings too
local long1 = string.rep("x", 1000) .. "y"
local long2 = string.rep("x", 999) .. "xy"
print(long1 == long2, #long1)
t[long1] = "long"
print(t[long2])
-- strings with embedded zeros are distinct
print("a\0b" == "a\0c", "a\0b" == "a\0b", #"a\0b")
