-- hot loops written with goto
local i, s = 0, 0
::loop::
i = i + 1
if i % 2 == 0 then goto skip end
s = s + i
::skip::
if i < 200000 then goto loop end
print(i, s)
local n = 0
for a = 1, 1000 do
  for b = 1, 100 do
    if b > a then goto next_a end
    n = n + 1
  end
  ::next_a::
end
print(n)
local w = 0
while w < 100000 do
  w = w + 1
  if w % 10 ~= 0 then goto continue end
  s = s - 1
  ::continue::
end
print(w, s)
