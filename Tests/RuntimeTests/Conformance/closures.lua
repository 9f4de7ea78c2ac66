-- closures and shared upvalues
local function counter()
  local n = 0
  return function() n = n + 1; return n end, function() return n end
end
local inc, get = counter()
inc(); inc()
print("shared", get(), inc(), get())

-- each iteration gets a fresh local
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
print("for", fs[1](), fs[2](), fs[3]())

local ws = {}
local j = 0
while j < 3 do
  j = j + 1
  local k = j * 10
  ws[j] = function() k = k + 1; return k end
end
print("while", ws[1](), ws[1](), ws[2](), ws[3]())

-- closed at break
local bs = {}
for i = 1, 10 do
  local v = i
  bs[#bs + 1] = function() return v end
  if i == 2 then break end
end
print("break", bs[1](), bs[2]())

-- repeat with a local captured in the condition scope
local rs = {}
local r = 0
repeat
  local x = r
  rs[#rs + 1] = function() return x end
  r = r + 1
until x >= 2
print("repeat", rs[1](), rs[2](), rs[3]())

-- nested upvalues through several levels
local function outer()
  local a = 1
  return function()
    local b = 2
    return function()
      a = a + b
      return a
    end
  end
end
local mid = outer()
local in1, in2 = mid(), mid()
print("nested", in1(), in2(), in1())

-- upvalue shared between a closure and its defining frame after the frame changes it
local function shared()
  local v = 1
  local f = function() return v end
  v = 5
  local r1 = f()
  v = 7
  return r1, f
end
local r1, f = shared()
print("late", r1, f())

-- recursive local function
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print("fact", fact(10))

-- goto continue with closures
local gs = {}
for i = 1, 4 do
  if i % 2 == 0 then goto continue end
  do
    local c = i
    gs[#gs + 1] = function() return c end
  end
  ::continue::
end
print("goto", gs[1](), gs[2]())
