-- table.sort with default and custom comparators
local t = {5, 2, 8, 1, 9, 3, 7, 4, 6, 0}
table.sort(t)
print(table.concat(t, " "))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, " "))
local words = {"banana", "Apple", "cherry", "apple", "Banana"}
table.sort(words)
print(table.concat(words, " "))
table.sort(words, function(a, b) return a:lower() < b:lower() or (a:lower() == b:lower() and a < b) end)
print(table.concat(words, " "))
local recs = {{n = "c", v = 3}, {n = "a", v = 1}, {n = "b", v = 2}}
table.sort(recs, function(x, y) return x.v < y.v end)
print(recs[1].n, recs[2].n, recs[3].n)
local empty = {}
table.sort(empty)
print(#empty)
local one = {42}
table.sort(one)
print(one[1])
local floats = {3.5, -1, 2.25, 0, -0.5, 1e10, -1e10}
table.sort(floats)
print(table.concat(floats, " "))
-- many equal elements
local eq = {}
for i = 1, 100 do eq[i] = i % 3 end
table.sort(eq)
print(eq[1], eq[34], eq[35], eq[67], eq[68], eq[100])
-- larger random-ish input (deterministic LCG)
local big, x = {}, 12345
for i = 1, 1000 do x = (x * 1103515245 + 12345) % 2147483648; big[i] = x % 1000 end
table.sort(big)
local sorted = true
for i = 2, #big do if big[i - 1] > big[i] then sorted = false end end
print(sorted, #big)
-- errors
local ok, e = pcall(table.sort, {3, "a", 1})
print(ok, (e:gsub("number with string", "X"):gsub("string with number", "X")))
print(pcall(table.sort, {{}, {}}))
print(pcall(table.sort))
print(pcall(table.sort, {1, 2}, 3))
