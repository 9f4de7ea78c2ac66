-- runtime errors raised after a loop has been running hot report the right line and names
local function run(limit)
  local t = {}
  for i = 1, 100000 do t[i] = {v = i} end
  local s = 0
  for i = 1, 100000 do
    local item = t[i]
    if i == limit then item = nil end
    s = s + item.v
  end
  return s
end
print(pcall(run, 0))
print(pcall(run, 70000))
local function arith(limit)
  local vals = {}
  for i = 1, 50000 do vals[i] = i end
  vals[limit] = "oops"
  local s = 0
  for i = 1, #vals do s = s + vals[i] end
  return s
end
print(pcall(arith, 40000))
local function calls(limit)
  local fs = {}
  for i = 1, 30000 do fs[i] = function() return i end end
  fs[limit] = nil
  local s = 0
  for i = 1, 30000 do s = s + fs[i]() end
  return s
end
print(pcall(calls, 25000))
local function cmp(limit)
  local n = 0
  for i = 1, 50000 do
    local x = i
    if i == limit then x = "str" end
    if x < 100000 then n = n + 1 end
  end
  return n
end
print(pcall(cmp, 45000))
