-- tracejit: --hotness=counter --jit-param hotloop=3 --jit-param hotexit=2
-- A side trace that ends in the interpreter ("-> interpreter"): the loop's trace is recorded in
-- a function called many times; the exit taken when the loop ends becomes hot and its side trace
-- records through the function's return into the caller (RETF) up to the caller's loop, which has
-- no trace yet (counter mode, the outer loop is not hot), and hands control back to the interpreter.
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
