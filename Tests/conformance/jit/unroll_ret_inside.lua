-- return from inside a short loop in a called function
local function find(t, x)
  for i = 1, 6 do
    if t[i] == x then return i end
  end
  return -1
end
local t = {5, 6, 7, 8, 9, 10}
local s = 0
for k = 1, 300 do
  s = s + find(t, 5 + k % 8)
end
print(s)
