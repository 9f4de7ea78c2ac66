-- tracejit: --hotness=counter --jit-param hotloop=3 --jit-param hotexit=2
-- A type-unstable loop: x is a number in some iterations and a string in others. The root trace
-- guards the type it saw when recorded (SLOAD/ALOAD with ">"); values of the other type fail
-- that guard and, once the exit is hot, a side trace handles them.
local vals = {}
for i = 1, 40 do
  if i % 4 == 0 then vals[i] = "s" .. i else vals[i] = i end
end
local nums, strs = 0, 0
for i = 1, 40 do
  local x = vals[i]
  if type(x) == "number" then nums = nums + x else strs = strs + #x end
end
print(nums, strs)
