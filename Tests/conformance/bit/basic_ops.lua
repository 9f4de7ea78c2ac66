-- LuaJIT bit library: band, bor, bxor, bnot
print(bit.band(0xff, 0x0f), bit.band(0xf0f0, 0xff00, 0x0ff0), bit.band(-1, 0x12345678))
print(bit.bor(0xf0, 0x0f), bit.bor(1, 2, 4, 8), bit.bor(0))
print(bit.bxor(0xff, 0x0f), bit.bxor(5, 5), bit.bxor(1, 2, 4))
print(bit.bnot(0), bit.bnot(-1), bit.bnot(0x12345678), bit.bnot(bit.bnot(42)))
print(bit.band(0xffffffff, 1), bit.bor(0x80000000, 0))
print(pcall(bit.band))
