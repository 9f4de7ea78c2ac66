-- loop variable captured by closures in the body
local fs = {}
local s = 0
for k = 1, 100 do
  for i = 1, 3 do
    fs[i] = function() return i * k end
  end
  s = s + fs[1]() + fs[2]() + fs[3]()
end
print(s)
local t = {}
for k = 1, 100 do
  for i = 1, 4 do
    local j = i
    t[#t + 1] = function() j = j + 1; return j end
  end
end
local z = 0
for _, f in ipairs(t) do z = z + f() + f() end
print(z, #t)
