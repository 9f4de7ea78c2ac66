-- unpack (global in 5.1) with ranges
local t = {1, 2, 3, nil, 5}
print(unpack(t, 1, 5))
print(unpack({"a", "b", "c"}, 2))
print(unpack({"a", "b", "c"}, 2, 2))
print(unpack({}, 1, 3))
print(select("#", unpack({}, 1, 0)))
print(select("#", unpack({1, 2, 3}, 3, 2)))
local big = {}
for i = 1, 250 do big[i] = i end
print(select("#", unpack(big)), (select(250, unpack(big))))
print(unpack({1, 2}, -1, 1))
