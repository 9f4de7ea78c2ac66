-- coroutine.status and coroutine.running in every state
print(coroutine.running())
local main_status
local co
co = coroutine.create(function()
  local me = coroutine.running()
  print("running is self", me == co, coroutine.status(co))
  local inner = coroutine.create(function()
    print("outer is", coroutine.status(co))
    coroutine.yield()
  end)
  coroutine.resume(inner)
  print("inner is", coroutine.status(inner))
  coroutine.yield()
  coroutine.resume(inner)
  print("inner is", coroutine.status(inner))
end)
print(coroutine.status(co))
coroutine.resume(co)
print(coroutine.status(co))
coroutine.resume(co)
print(coroutine.status(co))
-- resuming the running coroutine
local selfres
selfres = coroutine.create(function() return coroutine.resume(selfres) end)
print(coroutine.resume(selfres))
-- resuming a normal (non-running, resuming another) coroutine
local a, b
a = coroutine.create(function() coroutine.resume(b) end)
b = coroutine.create(function() print("resume a from b:", coroutine.resume(a)) end)
coroutine.resume(a)
-- errors
print(pcall(coroutine.status, nil))
print(pcall(coroutine.status, {}))
