-- __gc finalizers on userdata run when the object is collected
-- (garbage is created inside helper functions so that no dead stack slot of a live frame refers to it)
local order = {}
local function make_two()
  local a = newproxy(true)
  getmetatable(a).__gc = function() order[#order + 1] = "a" end
  local b = newproxy(true)
  getmetatable(b).__gc = function() order[#order + 1] = "b" end
end
make_two()
collectgarbage()
collectgarbage()
table.sort(order)
print(#order, table.concat(order, ","))
-- a reachable object is not finalized
local finalized = false
local function make_kept()
  local p = newproxy(true)
  getmetatable(p).__gc = function() finalized = true end
  return p
end
local keep = make_kept()
collectgarbage()
print(finalized)
keep = nil
collectgarbage()
print(finalized)
-- __gc on tables is ignored in 5.1
local tfin = false
local function make_table() setmetatable({}, {__gc = function() tfin = true end}) end
make_table()
collectgarbage()
collectgarbage()
print(tfin)
