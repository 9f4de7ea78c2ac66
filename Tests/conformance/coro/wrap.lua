-- coroutine.wrap returns a function that resumes and propagates errors
local gen = coroutine.wrap(function(a)
  local b = coroutine.yield(a * 2)
  local c = coroutine.yield(b + 1)
  return "end", c
end)
print(gen(5))
print(gen(10))
print(gen("x"))
print(pcall(gen))
-- errors inside a wrapped coroutine are raised in the caller
local bad = coroutine.wrap(function() coroutine.yield(1); error("wrapped failure") end)
print(bad())
print(pcall(bad))
print(pcall(bad))
-- non-string error values pass through unchanged
local tbl = coroutine.wrap(function() error({code = 7}) end)
local ok, e = pcall(tbl)
print(ok, type(e), e.code)
local num = coroutine.wrap(function() error(42) end)
print(pcall(num))
-- wrap requires a function
print(pcall(coroutine.wrap, 5))
-- type of the wrapper
print(type(coroutine.wrap(function() end)))
