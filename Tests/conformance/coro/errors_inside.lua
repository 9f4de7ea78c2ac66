-- errors inside coroutines: resume returns false plus the message, coroutine becomes dead
local co = coroutine.create(function(x)
  coroutine.yield(x)
  local t = nil
  return t.field
end)
print(coroutine.resume(co, 1))
print(coroutine.resume(co))
print(coroutine.status(co))
print(coroutine.resume(co))
-- error with a table value
local co2 = coroutine.create(function() error({reason = "custom"}) end)
local ok, e = coroutine.resume(co2)
print(ok, type(e), e.reason)
-- error with level 0 and level 2
local co3 = coroutine.create(function() error("no position", 0) end)
print(coroutine.resume(co3))
local co4 = coroutine.create(function() local function f() error("level2", 2) end f() end)
print(coroutine.resume(co4))
-- error raised by a library function
local co5 = coroutine.create(function() return ("x"):rep(nil) end)
print(coroutine.resume(co5))
-- an error before the first yield
local co6 = coroutine.create(function() error("immediately") end)
print(coroutine.resume(co6))
print(coroutine.status(co6))
-- error(nil)
local co7 = coroutine.create(function() error(nil) end)
print(coroutine.resume(co7))
