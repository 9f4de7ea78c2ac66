-- LuaJIT extension: yield from inside metamethods called from Lua code
local co = coroutine.create(function()
  local t = setmetatable({}, {
    __index = function(_, k) return coroutine.yield("index " .. k) end,
    __add = function(a, b) return coroutine.yield("add") end,
    __call = function(self, x) return coroutine.yield("call " .. x) end,
  })
  local a = t.key
  local b = t + 1
  local c = t(5)
  return a, b, c
end)
print(coroutine.resume(co))
print(coroutine.resume(co, "A"))
print(coroutine.resume(co, "B"))
print(coroutine.resume(co, "C"))
