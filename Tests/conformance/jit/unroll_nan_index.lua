-- the body reads the loop index as a key/number in several ways
local t = {}
for i = 1, 5 do t[i] = i * i end
t[1.5] = 99
local s = 0
for k = 1, 200 do
  for i = 1, 2, 0.5 do s = s + (t[i] or -1) end
  for i = 3, 1, -1 do s = s + t[i] * i end
  for i = 1, 3 do s = s + #tostring(i / 3) end
end
print(s)
