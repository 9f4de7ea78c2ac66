-- many short loops in one outer body (snapshot and instruction limits), 15-trip and 16-trip loops
local t = {}
for i = 1, 16 do t[i] = i % 5 end
local s = 0
for k = 1, 150 do
  for i = 1, 15 do s = s + t[i] end
  for i = 1, 16 do s = s + t[i] * 2 end
  for i = 15, 1, -1 do if t[i] > 2 then s = s + 1 end end
  for a = 1, 4 do for b = 1, 4 do for c = 1, 2 do s = s + t[a] * t[b] + c end end end
  for i = 1, 15 do s = s + (t[i] > 1 and 1 or 0) end
  t[k % 16 + 1] = (t[k % 16 + 1] + 1) % 5
end
print(s)
