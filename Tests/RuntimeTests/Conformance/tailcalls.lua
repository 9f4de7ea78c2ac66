local function loop(n, acc) if n == 0 then return acc end return loop(n - 1, acc + 1) end
print(loop(1000000, 0))
local even, odd
function even(n) if n == 0 then return true end return odd(n - 1) end
function odd(n) if n == 0 then return false end return even(n - 1) end
print(even(100001), odd(100001))
local function multi(n) if n == 0 then return 1, 2, 3 end return multi(n - 1) end
print(multi(10000))
local function va(n, ...) if n == 0 then return select('#', ...), ... end return va(n - 1, ...) end
print(va(50000, 'a', 'b'))
local obj = {n = 0}
function obj:step(k) if k == 0 then return self.n end self.n = self.n + 1 return self:step(k - 1) end
print(obj:step(200000))
-- tail call through pcall'd function
print(pcall(function() return loop(300000, 5) end))
-- tail call to a builtin
local function tb(...) return select('#', ...) end
local function callsTb() return tb(1, 2, 3) end
print(callsTb())
local function tostr(x) return tostring(x) end
print(tostr(12))
