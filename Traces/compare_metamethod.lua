-- tracejit: --jit-eager
-- Comparisons of tables through __lt and __le (and __le missing: not __lt(b, a)): the shared
-- metamethod is inlined; the branch follows from the type of its result, so no guard is needed
-- for it beyond the ones inside the metamethod.
local A = {}
A.__lt = function(a, b) return a.v < b.v end
local B = {}
B.__lt = function(a, b) return a.v < b.v end
B.__le = function(a, b) return a.v <= b.v end
local lt, le, nle = 0, 0, 0
for i = 1, 20 do
  local a, b = setmetatable({ v = i % 5 }, A), setmetatable({ v = 2 }, A)
  if a < b then lt = lt + 1 end
  if a <= b then nle = nle + 1 end
  local c, d = setmetatable({ v = i % 3 }, B), setmetatable({ v = 1 }, B)
  if c <= d then le = le + 1 end
end
print(lt, le, nle)
