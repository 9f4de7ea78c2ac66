-- allocation and collection keep memory bounded (properties only)
-- (garbage is created inside helper functions so that no dead stack slot of a live frame refers to it)
collectgarbage()
collectgarbage()
local base = collectgarbage("count")
local function churn()
  for round = 1, 20 do
    local t = {}
    for i = 1, 5000 do t[i] = {i, tostring(i)} end
  end
end
churn()
collectgarbage()
collectgarbage()
local after = collectgarbage("count")
print(after < base + 256)
-- strings built and dropped
local function strings() for i = 1, 2000 do local s = string.rep("x", i) end end
strings()
collectgarbage()
collectgarbage()
print(collectgarbage("count") < base + 256)
