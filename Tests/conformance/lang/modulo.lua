-- % is a - floor(a/b)*b (sign of the divisor)
local cases = {{5, 3}, {-5, 3}, {5, -3}, {-5, -3}, {5.5, 2}, {-5.5, 2}, {5, 2.5}, {0, 3}, {3, 5},
  {1, 0.1}, {2^53, 3}, {7, 7}, {-7, 7}, {1e300, 7}, {0.3, 0.1}}
for _, c in ipairs(cases) do print(c[1], c[2], c[1] % c[2]) end
print(5 % 0 ~= 5 % 0, -5 % 0 ~= -5 % 0, 0 % 0 ~= 0 % 0)
print(5 % math.huge ~= 5 % math.huge, math.huge % 5 ~= math.huge % 5)
print(-0 % 5, 0 % -5)
print(math.fmod(5, 3), math.fmod(-5, 3), math.fmod(5, -3), math.fmod(-5.5, 2))
