-- tracejit: --hotness=counter --jit-param hotloop=5 --jit-param hotexit=3
-- A trace recorded with a closure whose upvalue is closed (UVOUT guards that it points outside the
-- trace's slots) later meets a closure of the same prototype whose upvalue is a local of the
-- trace's own frame: the guard fails instead of the trace keeping a stale copy of that local.
local saved
local function run(n, callSaved)
  local x = 0
  local h = function(v) x = x + v end
  saved = saved or h
  local f = callSaved and saved or h
  local s = 0
  for i = 1, n do f(i); s = s + x end
  return s
end
print(run(1, true))
print(run(40, true))
print(run(40, false))
print(run(40, false))
