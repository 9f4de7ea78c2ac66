-- metamethod results are returned unchanged (any type), comparisons are converted to booleans
local mt = {
  __add = function() return {tag = "table result"} end,
  __sub = function() return nil end,
  __mul = function() return false end,
  __concat = function() return 123 end,
  __unm = function() return "neg" end,
  __lt = function() return "truthy string" end,
  __le = function() return 0 end,
  __eq = function() return {} end,
}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
print((a + b).tag, a - b, a * b, a .. b, -a)
print(a < b, a <= b, a == b, a ~= b)
print(type(a .. b), type(-a))
