-- hot loops that see globals, upvalues and metatables change midway
function step(x) return x + 1 end
local acc = 0
for i = 1, 20000 do
  if i == 10000 then step = function(x) return x + 100 end end
  acc = step(acc)
end
print(acc)
local k = 1
local function addk(x) return x + k end
local s = 0
for i = 1, 20000 do
  if i == 5000 then k = 10 end
  s = addk(s)
end
print(s)
local proto1, proto2 = {v = 1}, {v = 2}
local obj = setmetatable({}, {__index = proto1})
local sum = 0
for i = 1, 20000 do
  if i == 15000 then setmetatable(obj, {__index = proto2}) end
  sum = sum + obj.v
end
print(sum)
local shared = {v = 1}
local o2 = setmetatable({}, {__index = shared})
local total = 0
for i = 1, 20000 do
  if i == 10001 then shared.v = 3 end
  if i == 15001 then o2.v = 5 end
  total = total + o2.v
end
print(total)
GLOBAL_COUNTER = 0
for i = 1, 30000 do GLOBAL_COUNTER = GLOBAL_COUNTER + 1 end
print(GLOBAL_COUNTER)
