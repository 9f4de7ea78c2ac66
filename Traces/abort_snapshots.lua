-- tracejit: --jit-eager --jit-param maxsnap=3 --jit-param maxabort=2
-- Abort: "too many snapshots". Every guarded instruction takes a snapshot; with maxsnap lowered to
-- 3, a body with many branches cannot be recorded.
local c = 0
for i = 1, 10 do
  if i > 100 then c = c + 1 end
  if i > 200 then c = c + 2 end
  if i > 300 then c = c + 3 end
  if i > 400 then c = c + 4 end
  c = c + 1
end
print(c)
