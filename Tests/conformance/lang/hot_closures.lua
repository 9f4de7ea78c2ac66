-- closures created in hot loops, upvalue updates in hot loops
local fs = {}
for i = 1, 10000 do fs[i] = function() return i end end
local s = 0
for i = 1, #fs do s = s + fs[i]() end
print(s)
local counter = 0
local function inc() counter = counter + 1 end
for i = 1, 200000 do inc() end
print(counter)
local function make_acc()
  local total = 0
  return function(x) total = total + x; return total end
end
local acc = make_acc()
local last
for i = 1, 100000 do last = acc(i) end
print(last)
local gens = {}
for i = 1, 100 do
  local n = 0
  gens[i] = function() n = n + i; return n end
end
local g = 0
for round = 1, 100 do for i = 1, 100 do g = g + gens[i]() end end
print(g)
