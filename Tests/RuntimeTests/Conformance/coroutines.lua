local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end return "done" end)
end
local g = gen(3)
print(g(), g(), g(), g())
print(pcall(g))
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got2", d, e)
  return "end", 99
end)
print(coroutine.status(co))
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, "x", "y"))
print(coroutine.status(co))
print(coroutine.resume(co))
-- errors inside coroutines
local bad = coroutine.create(function() local x = nil; return x.y end)
print(coroutine.resume(bad))
print(coroutine.status(bad))
local bad2 = coroutine.create(function() error({code = 7}) end)
local ok, e = coroutine.resume(bad2)
print(ok, type(e), e.code)
-- running / status from inside
local inner
inner = coroutine.create(function()
  print("inside running", coroutine.running() == inner, coroutine.status(inner))
  return 1
end)
print(coroutine.running())
print(coroutine.resume(inner))
-- yield across pcall
local pc = coroutine.create(function()
  local ok, v = pcall(function()
    local got = coroutine.yield("in pcall")
    error("boom " .. got)
  end)
  coroutine.yield(ok, v)
  return "after"
end)
print(coroutine.resume(pc))
print(coroutine.resume(pc, "z"))
print(coroutine.resume(pc))
-- nested coroutines and normal status
local outer
outer = coroutine.create(function()
  local nested = coroutine.create(function()
    print("outer status from nested", coroutine.status(outer))
    coroutine.yield(1)
  end)
  print(coroutine.resume(nested))
  coroutine.yield(2)
end)
print(coroutine.resume(outer))
-- yield from main
print(pcall(coroutine.yield, 1))
-- resume non-suspended
local selfres
selfres = coroutine.create(function() return coroutine.resume(selfres) end)
print(coroutine.resume(selfres))
-- wrap errors propagate
local w = coroutine.wrap(function() error("wrapped failure") end)
print(pcall(w))
-- producer/consumer
local function producer()
  return coroutine.create(function()
    for _, v in ipairs({"a", "b", "c"}) do coroutine.yield(v) end
  end)
end
local prod = producer()
local acc = {}
while true do
  local ok, v = coroutine.resume(prod)
  if not v then break end
  acc[#acc + 1] = v
end
print(#acc, acc[1] .. acc[2] .. acc[3], coroutine.status(prod))
-- many coroutines
local total = 0
for i = 1, 2000 do
  local c = coroutine.wrap(function(x) local y = coroutine.yield(x + 1); return y * 2 end)
  total = total + c(i) + c(3)
end
print(total)
-- yield via tail call
local tc = coroutine.wrap(function() return coroutine.yield(5) end)
print(tc(), tc(8))
-- tail-called pcall/xpcall as a coroutine's body: errors caught, yields cross them
local tx = coroutine.wrap(function() return xpcall(function() error("boom", 0) end, function(m) return "handled: " .. m end) end)
print(tx())
local ty = coroutine.wrap(function() return pcall(function() local v = coroutine.yield(1); error("e" .. v, 0) end) end)
print(ty())
print(ty(2))
