-- allocation and collection keep memory bounded (properties only)
collectgarbage()
local base = collectgarbage("count")
for round = 1, 20 do
  local t = {}
  for i = 1, 5000 do t[i] = {i, tostring(i)} end
end
collectgarbage()
collectgarbage()
local after = collectgarbage("count")
print(after < base + 1024)
-- strings built and dropped
for i = 1, 2000 do local s = string.rep("x", i) end
collectgarbage()
print(collectgarbage("count") < base + 1024)
