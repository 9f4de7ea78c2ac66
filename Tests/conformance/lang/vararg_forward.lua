-- forwarding varargs with nils through pcall, coroutines, tables and unpack
local function n(...) return select("#", ...), ... end
print(pcall(n, nil, nil))
print(coroutine.wrap(n)(1, nil, nil))
local t = {n = 3, nil, 2, nil}
print(n(unpack(t, 1, t.n)))
print(n(unpack({1, nil, 3}, 1, 3)))
local function fwd(...) return n(...) end
print(fwd())
print(fwd(nil))
local co = coroutine.create(function(...)
  local a = {n(...)}
  local b = {n(coroutine.yield(a[1]))}
  return b[1]
end)
print(coroutine.resume(co, nil, nil, nil))
print(coroutine.resume(co, 1, nil))
print(xpcall(function() return n(nil, 2) end, print))
