-- which operand's metamethod is used: the first operand's if it has one, else the second's
local function mk(name)
  return setmetatable({name = name}, {
    __add = function(a, b) return name .. ":" .. (type(a) == "table" and a.name or tostring(a)) .. "+" .. (type(b) == "table" and b.name or tostring(b)) end,
    __concat = function(a, b) return name .. ":" .. (type(a) == "table" and a.name or tostring(a)) .. ".." .. (type(b) == "table" and b.name or tostring(b)) end,
  })
end
local A, B = mk("A"), mk("B")
local plain = {name = "plain"}
print(A + B, B + A)
print(A + 1, 1 + A, A + plain, plain + A)
print(A .. B, B .. A, A .. "s", "s" .. A, 1 .. A)
-- a number-convertible string operand does not prevent the metamethod
print("10" + A, A + "10")
-- only __add on the second operand
local onlyR = setmetatable({name = "R"}, {__add = function(a, b) return "R-used" end})
print(plain.name, pcall(function() return plain + onlyR end))
-- both numbers: no metamethod involved
print(2 + 3)
