-- hot loops building and scanning strings
local parts = {}
for i = 1, 20000 do parts[#parts + 1] = tostring(i) end
local s = table.concat(parts, ",")
print(#s, s:sub(1, 20), s:sub(-11))
local count = 0
for _ in s:gmatch("%d+") do count = count + 1 end
print(count)
local acc = ""
for i = 1, 2000 do acc = acc .. string.char(65 + i % 26) end
print(#acc, acc:sub(1, 30))
local bytes = 0
for i = 1, #acc do bytes = bytes + acc:byte(i) end
print(bytes)
local up = 0
for i = 1, 10000 do if ("x" .. i):upper() == "X" .. i then up = up + 1 end end
print(up)
local rev = {}
for i = 1, 1000 do rev[i] = string.rep("ab", i % 5):reverse() end
print(#table.concat(rev))
local found = 0
for i = 1, 5000 do if string.find("needle in haystack " .. i, "stack " .. i, 1, true) then found = found + 1 end end
print(found)
