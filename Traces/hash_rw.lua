-- tracejit: --jit-eager
-- Hash reads and writes: constant string keys (t.count, t.name) and global variables (GGET/GSET
-- on the function environment) become FLOAD env + HLOAD/HSTORE with type guards.
counter = 0
local rec = { count = 0, total = 0.5, name = "rec" }
for i = 1, 50 do
  rec.count = rec.count + 1
  rec.total = rec.total + i
  counter = counter + rec.count
end
print(counter, rec.count, rec.total, rec.name)
