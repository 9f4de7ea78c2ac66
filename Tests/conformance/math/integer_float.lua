-- all numbers are doubles: integer-valued results print without a fraction
print(7 / 7, 2^2, 10 / 4 * 2, math.floor(5.0), 1e2, 3 * 1.0)
print(2^53, 2^53 + 1, 2^31 * 2^31, -(2^63))
print(math.floor(-0.5), 0 * -5, -0 + 0)
print(string.format("%d", 2^31 + 0.5), string.format("%.0f", 2^63))
print(1e15 + 1, 1e15 + 0.5, 123456789012 * 10)
print(0.1 * 3, 0.3, 0.1 * 3 == 0.3)
