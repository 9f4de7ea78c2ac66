-- an error inside a coroutine.wrap body propagates to the top level
local gen = coroutine.wrap(function() coroutine.yield(1); error("generator broke") end)
print(gen())
print(gen())
