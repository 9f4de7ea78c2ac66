-- large strings
local big = string.rep("a", 1000000)
print(#big, big:sub(1, 3), big:sub(-3))
local bigger = big .. big
print(#bigger)
print(select(2, big:gsub("a", "")))
print(#string.rep("ab", 100000), #big:upper(), big:find("b"))
local parts = {}
for i = 1, 10000 do parts[i] = "item" .. i end
local joined = table.concat(parts, ", ")
print(#joined, joined:sub(1, 20))
print(#joined:reverse(), joined:reverse():sub(1, 9))
