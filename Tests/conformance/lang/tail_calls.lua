-- proper tail calls do not grow the stack
local function loop(n, acc)
  if n == 0 then return acc end
  return loop(n - 1, acc + 1)
end
print(loop(1000000, 0))
-- mutual tail recursion
local even, odd
function even(n) if n == 0 then return true end return odd(n - 1) end
function odd(n) if n == 0 then return false end return even(n - 1) end
print(even(1000001), odd(1000001))
-- tail call through a method and through varargs
local obj = {n = 0}
function obj:count(k, ...) if k == 0 then return self.n, select("#", ...) end self.n = self.n + 1; return self:count(k - 1, ...) end
print(obj:count(500000, "a", "b"))
-- tail call to a C function
local function tc(s) return string.upper(s) end
print(tc("abc"))
-- tail call returning multiple values
local function mv(n) if n == 0 then return 1, 2, 3 end return mv(n - 1) end
print(mv(100000))
-- a call in parentheses is not a tail call but still works
local function notail(n) if n == 0 then return "done" end return (notail(n - 1)) end
print(notail(1000))
-- tail call via a callable table
local ct = setmetatable({}, {__call = function(self, n) if n == 0 then return "callable done" end return self(n - 1) end})
print(ct(100000))
