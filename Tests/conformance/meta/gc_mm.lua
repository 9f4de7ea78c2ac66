-- __gc finalizers on userdata run when the object is collected
local order = {}
do
  local a = newproxy(true)
  getmetatable(a).__gc = function() order[#order + 1] = "a" end
  local b = newproxy(true)
  getmetatable(b).__gc = function() order[#order + 1] = "b" end
end
collectgarbage()
collectgarbage()
table.sort(order)
print(#order, table.concat(order, ","))
-- a reachable object is not finalized
local keep = newproxy(true)
local finalized = false
getmetatable(keep).__gc = function() finalized = true end
collectgarbage()
print(finalized)
keep = nil
collectgarbage()
print(finalized)
-- __gc on tables is ignored in 5.1
local tfin = false
do local t = setmetatable({}, {__gc = function() tfin = true end}) end
collectgarbage()
collectgarbage()
print(tfin)
