-- bit operations in hot loops: a hash function and an xorshift generator
local function fnv1a(s)
  local h = bit.tobit(2166136261)
  for i = 1, #s do
    h = bit.bxor(h, s:byte(i))
    h = bit.tobit(bit.lshift(h, 24) + h * 403)   -- h * 16777619 mod 2^32, exactly
  end
  return h
end
print(bit.tohex(fnv1a("")), bit.tohex(fnv1a("a")), bit.tohex(fnv1a("hello world")))
local x = 2463534242
local acc = 0
for i = 1, 100000 do
  x = bit.bxor(x, bit.lshift(x, 13))
  x = bit.bxor(x, bit.rshift(x, 17))
  x = bit.bxor(x, bit.lshift(x, 5))
  acc = bit.bxor(acc, x)
end
print(bit.tohex(x), bit.tohex(acc))
local cnt = 0
for i = 0, 65535 do if bit.band(i, bit.rshift(i, 1)) == 0 then cnt = cnt + 1 end end
print(cnt)
local rot = 1
for i = 1, 1000 do rot = bit.rol(rot, 7) end
print(bit.tohex(rot))
