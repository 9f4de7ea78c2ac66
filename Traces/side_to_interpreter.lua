-- tracejit: --hotness=counter --jit-param hotloop=3 --jit-param hotexit=2
-- A side trace that ends in the interpreter ("-> interpreter"): the loop's trace is recorded in
-- a function called many times through pcall; the exit taken when the loop ends becomes hot and
-- its side trace records up to the function's return, which goes to pcall (a native frame, so no
-- RETF), and hands control back to the interpreter.
local function count(t)
  local n = 0
  for i = 1, #t do
    if t[i] > 0 then n = n + 1 end
  end
  return n
end
local t = { 1, -2, 3, 4, -5, 6 }
local total = 0
for k = 1, 10 do
  local ok, n = pcall(count, t)
  total = total + n
end
print(total)
