-- jit_stress.sh: allocates in hot loops while keeping everything (tables, strings, closures)
-- alive, until the heap ceiling (--max-memory) is reached; the error, where it happens and the
-- traceback must be the interpreter's.
local keep = {}
local function make(i)
  local s = "item" .. i
  return { i, s, function() return s end }
end
local n = 0
for round = 1, 200 do
  for i = 1, 1000 do
    n = n + 1
    keep[n] = make(n)
  end
  local t = keep[n]
  if t[3]() ~= t[2] then error("bad closure at " .. n) end
  if round % 20 == 0 then print("round", round, n) end
end
print("done", n)
