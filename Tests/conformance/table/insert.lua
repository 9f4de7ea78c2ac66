-- table.insert at the end and at positions
local t = {}
table.insert(t, "a")
table.insert(t, "b")
table.insert(t, 1, "c")
table.insert(t, 2, "d")
table.insert(t, #t + 1, "e")
print(#t, table.concat(t, ","))
local u = {1, 2, 3}
table.insert(u, 1.0, 0)
print(table.concat(u, ","))
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.insert, {}))
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, {}, "x", 1))
-- inserting beyond the end (allowed in 5.1, creates a hole-free result only when pos = #t+1)
local v = {1, 2}
table.insert(v, 3, "three")
print(#v, v[3])
