-- metamethods run normally inside coroutines, and coroutines can be driven from metamethods
local mt = {__index = function(_, k) return k .. "!" end, __add = function(a, b) return 100 end}
local t = setmetatable({}, mt)
local co = coroutine.create(function()
  local a = t.x
  coroutine.yield(a)
  local b = t + 1
  coroutine.yield(b)
  return "done"
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.status(co))
-- a generator wrapped behind __index
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i * 10) end end)
local lazy = setmetatable({}, {__index = function(tbl, k) local v = gen(); rawset(tbl, k, v); return v end})
print(lazy.a, lazy.b, lazy.a, lazy.c)
-- __call on a table wrapping a coroutine
local stream = setmetatable({co = coroutine.wrap(function() coroutine.yield("one"); coroutine.yield("two") end)},
  {__call = function(self) return self.co() end})
print(stream(), stream())
