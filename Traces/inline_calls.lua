-- tracejit: --jit-eager
-- Inlining Lua functions: calls to local Lua functions (two levels deep) are guarded on the
-- closure's identity and inlined; snapshots inside them list the inlined frames.
local function sq(x) return x * x end
local function dist2(x, y) return sq(x) + sq(y) end
local acc = 0
for i = 1, 60 do
  acc = acc + dist2(i, i + 1)
end
print(acc)
