-- tracejit: --jit-eager
-- Math and bit library calls become IR: math.floor/sqrt (FPMATH), math.min/max (MIN/MAX),
-- math.fmod (FMOD), bit.band/bxor/lshift/rshift (TOBIT, 32-bit ops, TONUM).
local acc, h = 0, 0
for i = 1, 50 do
  acc = acc + math.floor(math.sqrt(i) * 10) + math.min(i, 20) - math.max(i, 45) + math.fmod(i, 7)
  h = bit.bxor(bit.lshift(h, 5), bit.rshift(h, 2), i)
  h = bit.band(h, 0xffffff)
end
print(acc, h)
