-- stores in one unrolled copy read by the next (forwarding across copies), goto continue
local t = {1, 1, 0, 0, 0, 0, 0, 0}
local s = 0
for k = 1, 300 do
  for i = 3, 8 do t[i] = t[i - 1] + t[i - 2] end
  s = s + t[8]
  for i = 1, 6 do
    if i % 2 == 0 then goto continue end
    t[i + 1] = t[i] % 7
    ::continue::
  end
  t[1] = k % 3; t[2] = k % 5
  s = s + t[2] + t[7]
end
print(s)
