-- The direct resume/yield/wrap paths: status names, errors, argument and result counts,
-- yields across pcall, wrap errors, dead coroutines and their collection.
local co = coroutine.create(function(a, b, ...)
  print("start", a, b, select("#", ...))
  local x, y, z = coroutine.yield(a + b)
  print("got", x, y, z)
  local r = { coroutine.yield() }
  print("got all", #r, r[1], r[4])
  return "done", nil, 3
end)
print(coroutine.status(co))
print(coroutine.resume(co, 1, 2, 3, 4))
print(coroutine.status(co))
print(coroutine.resume(co, "p"))
print(coroutine.resume(co, 1, 2, 3, 4, 5))
print(coroutine.status(co))
print(coroutine.resume(co))
print(coroutine.resume(co, 1))
print(pcall(coroutine.resume))
print(pcall(coroutine.resume, 42))
print(pcall(coroutine.status, {}))
print(select("#", coroutine.resume(coroutine.create(function() end))))

-- status from inside: running, normal
local outer
outer = coroutine.create(function()
  print("outer sees", coroutine.status(outer))
  local inner = coroutine.create(function()
    print("inner sees outer", coroutine.status(outer))
    print(coroutine.resume(outer))
    coroutine.yield(1)
  end)
  print(coroutine.resume(inner))
  print("inner now", coroutine.status(inner))
end)
print(coroutine.resume(outer))
print(coroutine.status(outer))

-- yield across pcall, error after resume, error values
local p = coroutine.create(function()
  local ok, v = pcall(function()
    local got = coroutine.yield("in pcall")
    error({ code = got })
  end)
  print("pcall caught", ok, type(v), v.code)
  local ok2, e2 = pcall(function() return coroutine.yield("yield in pcall again") end)
  print("second", ok2, e2)
  error("boom")
end)
print(coroutine.resume(p))
print(coroutine.resume(p, 7))
print(coroutine.resume(p, "resumed"))
print(coroutine.status(p))
print(coroutine.resume(p))

-- wrap: values, errors with position, dead wrap
local g = coroutine.wrap(function(...)
  local n = select("#", ...)
  while true do n = coroutine.yield(n, n * 2) end
end)
print(g(1, 2, 3))
print(g(10))
print(g(5))
local bad = coroutine.wrap(function() error("wrapped failure") end)
print(pcall(bad))
print(pcall(bad))
local badv = coroutine.wrap(function() error({}) end)
print(type(select(2, pcall(badv))))
local fin = coroutine.wrap(function() return "only" end)
print(fin())
print(pcall(fin))

-- yield from the main coroutine, resume of self
print(pcall(coroutine.yield, 1))
local selfco
selfco = coroutine.create(function() return coroutine.resume(selfco) end)
print(coroutine.resume(selfco))

-- a yield reached by a tail call, many values
local t = coroutine.create(function() return coroutine.yield(1, 2, 3) end)
print(coroutine.resume(t))
print(coroutine.resume(t, "a", "b"))
local many = coroutine.wrap(function(...) local v = { ... }; return coroutine.yield(unpack(v)) end)
local vals = {}
for i = 1, 250 do vals[i] = i end
print(select("#", many(unpack(vals))), select(250, many(unpack(vals))))

-- dead coroutines are collected; live suspended ones keep their stacks
local keep = {}
for i = 1, 2000 do
  local c = coroutine.create(function(x) local y = coroutine.yield(x * 2); return x + y end)
  local _, v = coroutine.resume(c, i)
  if i % 100 == 0 then keep[#keep + 1] = c end
  if i % 3 == 0 then coroutine.resume(c, v) end
end
collectgarbage()
collectgarbage()
local sum = 0
for _, c in ipairs(keep) do
  local ok, v = coroutine.resume(c, 1)
  if ok and v then sum = sum + v end
  sum = sum + (coroutine.status(c) == "dead" and 1 or 0)
end
print("kept", #keep, sum)

-- a ring of coroutines passing a token
local ring = {}
for i = 1, 5 do
  ring[i] = coroutine.create(function(tok) while tok > 0 do tok = coroutine.yield(tok - 1) end return i end)
end
local id, tok, n = 1, 23, 0
while true do
  local ok, v = coroutine.resume(ring[id], tok)
  n = n + 1
  if coroutine.status(ring[id]) == "dead" then print("ring", v, n) break end
  tok = v
  id = id % 5 + 1
end
