-- how numbers print: print, tostring and concatenation all use %.14g
local nums = {0, -0, 1, -1, 0.1, 0.5, 1/3, -1/3, 2/3, 100, 1e14, 1e15, 1e16, 1e17,
  123456789012345, 1234567890123456, 2^31, 2^32, 2^53, 2^53 + 1, 2^63, 2^64,
  1e100, 1e-5, 1e-4, 0.0001234, 3.14159265358979, 1e300 * 1e10, -1e300 * 1e10,
  255 / 256, 1e-310, 5e-324, 12345.6789, 99999999999999, 999999999999999}
for i, n in ipairs(nums) do
  print(i, n, tostring(n), n .. "", #tostring(n))
end
print(0/0 ~= 0/0)
print(tostring(0/0) == tostring(0/0))
print(math.huge, -math.huge)
print(-0 == 0, 1/(-0), 1/0)
print(3 / 2, 7 / 7, 10 / 4, 2^0.5)
print(1e15 + 0.5, 2^52 + 0.5)
