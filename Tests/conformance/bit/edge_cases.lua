-- results are always signed 32-bit numbers; inputs wrap modulo 2^32
print(bit.bor(0x7fffffff, 0) + 1, bit.bor(0x7fffffff + 1, 0))
print(bit.band(2^40 + 7, 0xff), bit.bxor(2^32, 1), bit.bnot(2^32))
print(bit.lshift(0x7fffffff, 1), bit.lshift(3, 30))
print(bit.band(-2^31, -1), bit.bor(-2^31 - 1, 0))
print(bit.band(1e10, 0xffffffff), bit.band(-1e10, 0xffffffff))
print(bit.bxor(0xaaaaaaaa, 0x55555555), bit.band(0xaaaaaaaa, 0x55555555))
-- tobit rounding of fractions uses round-to-nearest-even on the 2^52 trick
print(bit.tobit(0.5), bit.tobit(1.5), bit.tobit(-0.5), bit.tobit(3.5))
-- popcount and parity built from bit ops
local function popcount(x) local c = 0 while x ~= 0 do x = bit.band(x, x - 1); c = c + 1 end return c end
print(popcount(0), popcount(1), popcount(0xff), popcount(-1), popcount(0x55555555))
