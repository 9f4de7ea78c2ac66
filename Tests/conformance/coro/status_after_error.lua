-- a coroutine that raised an error is dead; wrap functions then fail with "cannot resume dead coroutine"
local co = coroutine.create(function() local x = nil; x() end)
local ok, e = coroutine.resume(co)
print(ok, e, coroutine.status(co))
print(coroutine.resume(co))
local w = coroutine.wrap(function() error("first", 0) end)
print(pcall(w))
print(pcall(w))
-- a coroutine that yields inside a loop and then errors
local gen = coroutine.create(function() for i = 1, 3 do coroutine.yield(i) end error("exhausted", 0) end)
for i = 1, 5 do print(coroutine.resume(gen)) end
