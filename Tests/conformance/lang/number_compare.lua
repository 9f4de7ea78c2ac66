-- comparisons between large numbers and floats near integer boundaries
print(2^53 == 2^53 + 1, 2^53 < 2^53 + 2, 2^63 == 2^63 + 1)
print(0.1 + 0.2 > 0.3, 1e308 < math.huge, -math.huge < -1e308)
print(1 < 1.0000000000000002, 1 == 1.00000000000000001)
print(-0.0 < 0.0, -0.0 <= 0.0, 0.0 >= -0.0)
local vals = {3, -1, 2.5, -0.5, 1e10, -1e10, 0}
table.sort(vals)
print(table.concat(vals, " "))
table.sort(vals, function(a, b) return a > b end)
print(table.concat(vals, " "))
print(math.max(1, 2.5, -3), math.min(1, 2.5, -3))
