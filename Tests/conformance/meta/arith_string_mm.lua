-- when a string operand cannot be converted, the other operand's metamethod is still tried
local T = setmetatable({}, {__add = function(a, b) return "T.__add(" .. type(a) .. "," .. type(b) .. ")" end,
  __concat = function(a, b) return "T.__concat(" .. type(a) .. "," .. type(b) .. ")" end})
print("abc" + T, T + "abc", "12" + T)
print("abc" .. T, T .. 12)
-- both operands numbers or convertible strings: plain arithmetic, no metamethod
print("3" + "4", 3 .. 4)
-- booleans have no metatable: error mentions the boolean
print(pcall(function() return true + 1 end))
print(pcall(function() return 1 + true end))
