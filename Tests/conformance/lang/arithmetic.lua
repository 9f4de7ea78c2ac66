-- arithmetic operators on numbers
print(7 + 3, 7 - 3, 7 * 3, 7 / 3, 7 % 3, 7 ^ 3)
print(-7 + 3, -7 - 3, -7 * 3, -7 / 3, -7 % 3, (-7) ^ 3)
print(0.1 + 0.2, 0.1 + 0.2 == 0.3, 1 - 0.9)
print(1 / 0, -1 / 0, 0 / 0 ~= 0 / 0, 1 / -0)
print(2 ^ 0.5, 4 ^ 0.5, 8 ^ (1 / 3), 2 ^ 1023 * 2, 2 ^ -1074)
print(10 / 2, 3 * 0.5, 1e308 * 10, -1e308 * 10)
print(2^53 + 1, 2^53 + 2, -2^53 - 1)
print(math.floor(7 / 2), math.floor(-7 / 2))
local a, b = 17, 5
print(a + b * 2, (a + b) * 2, a / b * b, a % b + b * math.floor(a / b))
print(1e15 + 1, 1e16 + 1, 123456789 * 987654321)
print(0 * -1, -0 + 0, 0 - 0, -0 - 0)
print(3 - -3, 3 + -3, - - 3)
