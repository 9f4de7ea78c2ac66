-- tracejit: --jit-eager
-- Array reads and writes: t[i] becomes TOINT, ABC (bounds check against the array size), AREF
-- and ALOAD/ASTORE, with a guard that the table has no metatable before a store.
local a = {}
for i = 1, 64 do a[i] = i end
local b = {}
for i = 1, 64 do b[i] = 0 end
for i = 1, 64 do
  b[i] = a[i] * a[i] + b[i]
end
local s = 0
for i = 1, 64 do s = s + b[i] end
print(s, b[1], b[64])
