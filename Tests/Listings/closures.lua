-- Upvalues (shared and nested), varargs, method calls, generic for, while, goto.
local function counter(step)
  local n = 0
  return function(...)
    n = n + (step or 1)
    return n, select('#', ...)
  end
end
local obj = {items = {}}
function obj:add(v) self.items[#self.items + 1] = v; return self end
obj:add("x"):add(2.5)
for k, v in pairs(obj.items) do print(k, v) end
local i = 0
while i < 3 do i = i + 1 end
::again::
i = i - 1
if i > 0 then goto again end
return counter(2)()
