-- a loop left by break inside a called function, then a data-dependent branch
local function f(t, k)
  local n = 0
  for i = 1, 4 do
    if t[i] == 0 then break end
    n = n + 1
  end
  if k % 2 == 0 then n = n + 10 end
  return n
end
local t = {1, 1, 0, 1}
local s = 0
for k = 1, 300 do s = s + f(t, k) end
print(s)
