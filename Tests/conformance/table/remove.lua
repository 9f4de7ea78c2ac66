-- table.remove from the end and from positions
local t = {"a", "b", "c", "d", "e"}
print(table.remove(t), #t)
print(table.remove(t, 1), #t, table.concat(t, ","))
print(table.remove(t, 2), #t, table.concat(t, ","))
print(table.remove(t, #t), #t, table.concat(t, ","))
print(table.remove(t), #t)
print(table.remove(t), #t)
print(select("#", table.remove({})))
local u = {1, 2, 3}
print(table.remove(u, 1.0), table.concat(u, ","))
print(pcall(table.remove))
print(pcall(table.remove, nil))
-- remove in a loop from the back
local q = {}
for i = 1, 10 do q[i] = i end
local out = {}
while #q > 0 do out[#out + 1] = table.remove(q, 1) end
print(table.concat(out, " "))
