-- limit from upvalue/table changing, start/step from variables
local cfg = {n = 3}
local N = 4
local s = 0
for k = 1, 300 do
  for i = 1, cfg.n do s = s + i end
  for i = 1, N do s = s + i * 2 end
  if k % 17 == 0 then cfg.n = cfg.n % 5 + 1 end
  if k % 23 == 0 then N = (N + 3) % 7 end
  local st = (k % 2 == 0) and 1 or 2
  for i = 1, 6, st do s = s + i end
end
print(s)
