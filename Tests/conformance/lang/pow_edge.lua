-- exponentiation edge cases
print(0 ^ 0, 2 ^ 0, 0 ^ 1, 0 ^ -1, (-0) ^ -1)
print((-8) ^ (1 / 3) ~= (-8) ^ (1 / 3), (-2) ^ 0.5 ~= (-2) ^ 0.5)
print(math.huge ^ 0, 1 ^ math.huge, (-1) ^ math.huge, 2 ^ math.huge, 0.5 ^ math.huge)
print(2 ^ -math.huge, math.huge ^ -1, (-math.huge) ^ 3, (-math.huge) ^ 2)
print(10 ^ 15, 10 ^ 16, 10 ^ -3, 2 ^ 10, 2 ^ 0.5 * 2 ^ 0.5)
print((0 / 0) ^ 0, 1 ^ (0 / 0))
print(3 ^ 2 ^ 2, (3 ^ 2) ^ 2, -3 ^ 2)
print(2 ^ 62, 2 ^ 64, 2 ^ 1024, 2 ^ -1080)
