-- Coroutine switches made inside the interpreter loop (resume/wrap called from Lua) mixed with
-- the nested path (resume called from natives, tail calls, native bodies): values, counts,
-- errors, statuses, deep nesting and collection.
local create, resume, yield, wrap, status = coroutine.create, coroutine.resume, coroutine.yield, coroutine.wrap, coroutine.status

-- 1. yields from nested Lua calls, results kept / truncated / padded
local function leaf(x) local r = yield(x, x + 1) return r end
local function mid(x) return leaf(x) * 2 end
local co = create(function(a)
  local s = 0
  for i = 1, 3 do s = s + mid(a + i) end
  return s, "end"
end)
print(resume(co, 10))
local a, b = resume(co, 1)          -- two results wanted
print(a, b)
local c = resume(co, 2)             -- one result wanted
print(c)
print(select("#", resume(co, 3)))  -- all results
print(status(co), resume(co))

-- 2. resume from a native (pcall, table.sort comparator, gsub callback), then from Lua again
local g = create(function(...)
  local n = select("#", ...)
  while true do n = yield(n, ...) end
end)
print(pcall(resume, g, "p", "q"))
local t = { 3, 1, 2 }
table.sort(t, function(x, y) local _, n = resume(g, x, y); return x < y end)
print(t[1], t[2], t[3], status(g))
print((string.gsub("ab", "%w", function(ch) local ok, n, v = resume(g, ch); return tostring(n) .. v end)))
print(resume(g, "lua", "again", nil))

-- 3. a coroutine resumed from inside another coroutine, mixing both paths
local inner = create(function(x)
  while true do x = yield(x * 10) end
end)
local outer = create(function()
  local r = {}
  for i = 1, 4 do
    if i % 2 == 0 then
      r[#r + 1] = select(2, resume(inner, i))
    else
      r[#r + 1] = select(2, pcall(function() return select(2, resume(inner, i)) end))
    end
    yield(#r)
  end
  return table.concat(r, ",")
end)
for _ = 1, 5 do print(resume(outer)) end
print(status(inner), status(outer))

-- 4. errors: caught inside the coroutine, killing it, through wrap (position of the caller)
local e1 = create(function()
  local ok, msg = pcall(function() yield("in pcall"); error("caught") end)
  yield(ok, msg)
  local x = nil
  return x.field
end)
print(resume(e1))
print(resume(e1))
print(resume(e1))
print(status(e1), resume(e1))
local w = wrap(function() yield(1); error("wrapped") end)
print(w())
print(pcall(w))
print(pcall(w))
local wt = wrap(function() error({ code = 7 }) end)
local ok, v = pcall(wt)
print(ok, type(v), v.code)
-- an error crossing two wrap levels, then caught by pcall in the outer coroutine
local lvl2 = wrap(function() yield("one"); error("deep failure") end)
local lvl1 = create(function()
  print("lvl1 got", lvl2())
  local ok2, m = pcall(lvl2)
  print("lvl1 caught", ok2, m)
  return "lvl1 done"
end)
print(resume(lvl1))
-- an uncaught error inside nested resumes: each level reports it as a value
local n3 = create(function() error("bottom") end)
local n2 = create(function() local ok3, m = resume(n3); error("middle after " .. tostring(m), 0) end)
local n1 = create(function() return resume(n2) end)
print(resume(n1))
print(status(n1), status(n2), status(n3))

-- 5. wrap as a for-in iterator, nested
local function range(n) return wrap(function() for i = 1, n do yield(i) end end) end
local sum = 0
for i in range(4) do for j in range(i) do sum = sum + i * j end end
print("sum", sum)

-- 6. statuses and running from inside
local me
me = create(function()
  print("inside", status(me), coroutine.running() == me, coroutine.isyieldable())
  local other = create(function() print("nested sees", status(me)); yield() end)
  resume(other)
  print("after nested", status(other))
end)
resume(me)
print(status(me), coroutine.running(), coroutine.isyieldable())
print(resume(me))
print(resume(create(function() return resume(coroutine.running()) end)))

-- 7. a yield reached by a tail call, resumed from Lua; a body ending in `return pcall(f)`
local tc = create(function(x) return yield(x) end)
print(resume(tc, "t1"))
print(resume(tc, "t2", "t3"))
local pc = create(function() return pcall(function() yield("p1"); error("p2", 0) end) end)
print(resume(pc))
print(resume(pc))
print(status(pc))

-- 8. a native body; coroutines started by one path and continued by the other
local nat = create(print)
print(resume(nat, "native body"))
local mix = create(function(...) local s = 0; for _, v in ipairs({ ... }) do s = s + v end; while true do s = s + yield(s) end end)
print(resume(mix, 1, 2))
print(pcall(resume, mix, 3))
print(resume(mix, 4))
print(select(2, pcall(resume, mix, 5)))

-- 9. a chain of 190 nested resumes (each level resumes the next from Lua)
local function chain(n)
  if n == 0 then return create(function() yield("bottom"); return "end" end) end
  local below = chain(n - 1)
  return create(function()
    while true do
      local ok2, v = resume(below)
      if not ok2 or status(below) == "dead" then return v end
      yield(v)
    end
  end)
end
local top = chain(190)
print(resume(top))
print(resume(top))
print(resume(top))

-- 10. collection while coroutines are suspended, normal and running
local live = {}
for i = 1, 50 do
  live[i] = create(function(x)
    local keep = { x, tostring(x) }
    local y = yield(#keep)
    collectgarbage()
    return keep[2] .. ":" .. y
  end)
  resume(live[i], i)
end
collectgarbage()
local parts = {}
for i = 1, 50, 7 do local _, s = resume(live[i], "y" .. i); parts[#parts + 1] = s end
print(table.concat(parts, " "))
local gen = wrap(function() for i = 1, 3 do local tmp = { i } collectgarbage() yield(tmp[1]) end end)
print(gen(), gen(), gen())

-- 11. many values through a switch
local many = wrap(function(...) local v = yield(...) ; return select("#", v) end)
local vals = {}
for i = 1, 240 do vals[i] = i end
print(select("#", many(unpack(vals))), select(240, many(unpack(vals))))
