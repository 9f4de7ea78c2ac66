-- tracejit: --jit-eager
-- Arithmetic on tables goes through their metamethods (__add, __sub, __mul, __unm): the recorder
-- guards the operand's metatable and its entry, and inlines the metamethod like a call whose
-- result lands in the instruction's register. Inside a metamethod no snapshot is taken: its guards
-- exit through the snapshot of the arithmetic instruction, so the interpreter redoes the whole
-- operation; its only effects are stores into the table it creates. From i = 8 on, `d * s` gets a
-- negative s, which flips the branch inside __mul: the guard there exits and MULVV is redone.
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({ x = x, y = y }, V) end
V.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
V.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
V.__mul = function(a, s)
  if s < 0 then return vec(-a.x * -s, -a.y * -s) end
  return vec(a.x * s, a.y * s)
end
V.__unm = function(a) return vec(-a.x, -a.y) end
local acc = vec(0, 0)
local d = vec(1, 2)
local scale = {}
for i = 1, 12 do scale[i] = i < 8 and 2 or -3 end
for i = 1, 12 do
  local s = scale[i]
  acc = acc + d * s - (-d)
end
print(acc.x, acc.y)
