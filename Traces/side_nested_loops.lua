-- tracejit: --hotness=counter --jit-param hotloop=3 --jit-param hotexit=2 --jit-param unrollshort=0
-- Nested loops as LuaJIT compiles them: the inner loop gets the root trace; the side trace from
-- its exit returns into the caller (RETF), goes round the outer loop (its back-edge has no trace)
-- and links back to the inner loop's trace, so the whole nest runs as machine code.
local function count(t)
  local n = 0
  for i = 1, #t do
    if t[i] > 0 then n = n + 1 end
  end
  return n
end
local t = { 1, -2, 3, 4, -5, 6 }
local total = 0
for k = 1, 10 do total = total + count(t) end
print(total)
