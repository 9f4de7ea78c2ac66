-- body assigns the visible loop variable, and uses it after
local s = 0
for k = 1, 200 do
  for i = 1, 4 do
    i = i * 10
    s = s + i
  end
  local last
  for i = 1, 3 do last = i end
  s = s + last
end
print(s)
