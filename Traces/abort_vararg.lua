-- tracejit: --jit-eager --jit-param maxabort=2
-- Abort: vararg functions are inlined and `...` is read in traces (Traces/vararg_inline.lua), but
-- not a vararg function called as a metamethod ("NYI: vararg metamethod"), nor a loop reading more
-- than 200 varargs of its own frame.
local mt = { __add = function(...) local a, b = ... return a.v + b end }
local s = 0
for i = 1, 10 do s = s + (setmetatable({ v = i }, mt) + 0) end
local function count(...)
  local n = 0
  for i = 1, 3 do n = n + select("#", ...) end
  return n
end
local many = {}
for i = 1, 201 do many[i] = i end
print(s, count(unpack(many)))
