-- tracejit: --jit-eager --jit-param maxrecord=10 --jit-param maxabort=2
-- Abort: "trace too long". With maxrecord lowered to 10 IR instructions, the long loop body
-- cannot be recorded; the short loop still fits.
local a, b, c = 0, 0, 0
for i = 1, 10 do
  a = a + i; b = b + a * 2; c = c + b - a
  a = a % 1000; b = b % 1000; c = c % 1000
  a = a + b + c; b = b * 3 + 1; c = c + 7
end
local d = 0
for i = 1, 10 do d = d + i end
print(a, b, c, d)
