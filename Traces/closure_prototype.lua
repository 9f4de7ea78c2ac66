-- tracejit: --hotness=counter --jit-param hotloop=5 --jit-param hotexit=3
-- Callbacks made afresh each round share a prototype: once a prototype has made more than one
-- closure, a call guards the prototype (FLOAD func.proto, EQ), not the closure, so one trace serves
-- every round's callback and reads its upvalues through the closure at run time.
local function map(t, f)
  local r = {}
  for i = 1, #t do r[i] = f(t[i]) end
  return r
end
local data = {}
for i = 1, 30 do data[i] = i end
local total = 0
for round = 1, 20 do
  local k = round
  local r = map(data, function(x) return x * k end)
  total = total + r[30]
end
print(total)
