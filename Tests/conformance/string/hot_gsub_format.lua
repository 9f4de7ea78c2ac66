-- string library functions in hot loops
local total = 0
for i = 1, 20000 do
  local s = string.format("%05d:%s", i, ("x"):rep(i % 5))
  total = total + #s
end
print(total)
local csv = {}
for i = 1, 2000 do csv[i] = i .. "," .. (i * 2) .. "," .. (i * 3) end
local sum = 0
for _, line in ipairs(csv) do
  local a, b, c = line:match("^(%d+),(%d+),(%d+)$")
  sum = sum + a + b + c
end
print(sum)
local text = string.rep("the cat sat on the mat ", 500)
local replaced, n = text:gsub("%f[%a]the%f[%A]", "a")
print(n, #replaced)
local upper = 0
for i = 1, 10000 do if ("abc" .. i):upper():find("C" .. i, 1, true) then upper = upper + 1 end end
print(upper)
local bytes = 0
local s = string.rep("abcdefghij", 1000)
for i = 1, #s do bytes = bytes + s:byte(i) end
print(bytes)
