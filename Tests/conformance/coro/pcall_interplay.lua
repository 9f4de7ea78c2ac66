-- coroutines inside pcall, pcall inside coroutines
local ok, v = pcall(function()
  local co = coroutine.create(function() coroutine.yield(1); error("inner error") end)
  local r = {coroutine.resume(co)}
  local r2 = {coroutine.resume(co)}
  return r[2] .. "|" .. tostring(r2[1]) .. "|" .. r2[2]
end)
print(ok, v)
-- pcall inside a coroutine catches errors without killing it
local co = coroutine.create(function()
  local ok1, e1 = pcall(error, "caught inside")
  coroutine.yield(ok1, e1)
  local ok2, e2 = pcall(function() local x = nil; return x.y end)
  coroutine.yield(ok2, e2)
  return "alive"
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co))
-- error in a wrapped coroutine caught by pcall in an outer coroutine
local outer = coroutine.wrap(function()
  local inner = coroutine.wrap(function() error("deep", 0) end)
  local ok3, e3 = pcall(inner)
  coroutine.yield(ok3, e3)
  return "outer done"
end)
print(outer())
print(outer())
-- xpcall with a traceback-free handler inside a coroutine
local co2 = coroutine.create(function()
  return xpcall(function() error("boom", 0) end, function(m) return "handled: " .. m end)
end)
print(coroutine.resume(co2))
