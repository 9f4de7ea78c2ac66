-- tracejit: --jit-eager --jit-param maxabort=2 --jit-param unrollshort=0
-- Abort around coroutines: a loop that resumes a coroutine (or yields from one) would switch
-- coroutines in the middle of a trace. coroutine.resume and coroutine.yield are native calls the
-- recorder does not know, so the recording stops there ("NYI: call to native ...") before any
-- switch happens. The loop inside the coroutine body gets its own trace between yields.
local co = coroutine.create(function(n)
  local acc = 0
  for i = 1, n do
    for j = 1, 5 do acc = acc + j end
    coroutine.yield(acc)
  end
  return -1
end)
local last
for i = 1, 6 do
  local ok, v = coroutine.resume(co, 5)
  last = v
end
print(last, coroutine.status(co))
