-- tracejit: --jit-eager
-- table.remove keeping its result: the removed element t[#t] (or t[pos]) is loaded with its type
-- guard first, then the library function runs for its effect only (a CALLN with no guard), so no
-- failing guard can make the interpreter remove twice. The type of the popped values changes at
-- the end of the stack (strings under numbers): the ALOAD's guard exits before the removal.
local st = { "a", "b" }
for i = 1, 30 do st[#st + 1] = i end
local sum, last = 0, nil
while #st > 0 do
  local v = table.remove(st)
  if type(v) == "number" then sum = sum + v else last = v end
end
local q = {}
for i = 1, 8 do q[i] = i end
for i = 1, 20 do
  local x = table.remove(q, 1)
  q[#q + 1] = x + i
end
print(sum, last, #st, q[1], q[8])
