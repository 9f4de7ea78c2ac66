-- numeric literal forms
print(0, 1, 42, 007, 3.0, 3., .5, 0.5)
print(1e2, 1E2, 1e+2, 1e-2, 2.5e3, .5e1, 5.e1)
print(0x10, 0XfF, 0xABCDEF, 0x0, 0x7fffffff, 0xffffffff, 0x100000000)
print(0x1p4, 0x1P-1, 0x.8p1, 0xA.8p0, 0x1.8p1, 0x10p-4)
print(0xffffffffffffffff == 2^64, 0x7fffffffffffffff == 2^63)
print(1e308, 1e309, -1e309, 2e-308, 5e-324, 1e-400)
print(123456789012, 1234567890123456789)
print(9007199254740993 == 9007199254740992)
print(type(1), type(0x10), type(1e1))
print(math.type == nil)
for _, src in ipairs{"return 1e", "return 0x", "return 1.2.3", "return 0xg", "return 08", "return 1..2", "return 3x", "return 1e+"} do
  local f, err = loadstring(src)
  if f then print(src, "->", f()) else print(src, "->", err) end
end
