-- many short loops in many functions (for small maxtrace flushing)
local fs = {}
for j = 1, 12 do
  fs[j] = function(t)
    local s = 0
    for i = 1, 3 do s = s + t[i] * j end
    return s
  end
end
local t = {1, 2, 3}
local acc = 0
for k = 1, 400 do
  for j = 1, 12 do acc = acc + fs[j](t) end
  t[k % 3 + 1] = k % 5
end
print(acc)
