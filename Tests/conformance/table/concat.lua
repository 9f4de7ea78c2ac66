-- table.concat with separators and ranges
local t = {"a", "b", "c", "d"}
print(table.concat(t), table.concat(t, ", "), table.concat(t, ""))
print(table.concat(t, "-", 2), table.concat(t, "-", 2, 3), table.concat(t, "-", 3, 2), table.concat(t, "-", 4, 4))
print(table.concat({}), table.concat({}, "x"), table.concat({1, 2.5, "s"}, " "))
print(table.concat({1, 2, 3}, 0), table.concat({"x"}, nil))
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.concat, {1, 2}, ",", 1, 3))
print(pcall(table.concat, {true}))
print(pcall(table.concat, {1, 2}, {}))
print(pcall(table.concat))
print(table.concat({"a", "b"}, ",", "1", "2"))
local big = {}
for i = 1, 1000 do big[i] = i end
print(#table.concat(big, ","))
