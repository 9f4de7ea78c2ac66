-- tracejit: --jit-eager
-- Method calls through a metatable __index chain: obj -> Derived -> Base. The recorder follows the
-- chain with guards on each metatable and each __index table, checks the callee's identity and
-- inlines the Lua method (its bytecode is indented one level in the dump).
local Base = {}
Base.__index = Base
function Base:area() return self.w * self.h end
local Derived = setmetatable({}, Base)
Derived.__index = Derived
function Derived:scaled(k) return self:area() * k end
local obj = setmetatable({ w = 3, h = 4 }, Derived)
local s = 0
for i = 1, 40 do
  s = s + obj:scaled(i)
end
print(s)
