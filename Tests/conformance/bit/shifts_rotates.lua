-- shifts and rotates: only the low 5 bits of the shift count are used
print(bit.lshift(1, 0), bit.lshift(1, 4), bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(1, 33))
print(bit.rshift(256, 4), bit.rshift(-1, 28), bit.rshift(0x80000000, 31), bit.rshift(1, 32))
print(bit.arshift(256, 4), bit.arshift(-256, 4), bit.arshift(-1, 31), bit.arshift(0x80000000, 4))
print(bit.rol(0x12345678, 4), bit.rol(0x80000001, 1), bit.rol(1, 32), bit.rol(1, -1))
print(bit.ror(0x12345678, 4), bit.ror(1, 1), bit.ror(0x80000000, 31), bit.ror(1, -1))
print(bit.lshift(1, -1), bit.rshift(0x80000000, -1))
print(bit.bswap(0x12345678), bit.bswap(0), bit.bswap(-1), bit.bswap(bit.bswap(0x11223344)))
