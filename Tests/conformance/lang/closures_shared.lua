-- closures created in the same scope share their upvalues
local function counter()
  local n = 0
  local function inc() n = n + 1; return n end
  local function get() return n end
  local function set(v) n = v end
  return inc, get, set
end
local inc, get, set = counter()
print(inc(), inc(), get())
set(10)
print(inc(), get())
local inc2, get2 = counter()
print(inc2(), get(), get2())
-- an upvalue shared between a closure and its enclosing function
local function f()
  local x = 1
  local g = function() x = x * 2 end
  g(); g()
  return x
end
print(f())
-- upvalue of upvalue (three levels)
local function l1()
  local v = "a"
  return function()
    return function() v = v .. "b"; return v end
  end
end
local l3 = l1()()
print(l3(), l3())
-- closures over parameters
local function adder(k) return function(x) return x + k end end
local add5, add10 = adder(5), adder(10)
print(add5(1), add10(1), adder(-1)(1))
-- modifying a parameter after capture
local function cap(p)
  local c = function() return p end
  p = p + 100
  return c()
end
print(cap(1))
-- recursive local function sees itself as upvalue
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(10))
-- `local f = function` does not see itself
local fib = "global-fib-not-used"
local fib = function(n) return type(fib) end
print(fib(3))
-- many upvalues
local u1, u2, u3, u4, u5, u6 = 1, 2, 3, 4, 5, 6
local function sum() return u1 + u2 + u3 + u4 + u5 + u6 end
u6 = 60
print(sum())
