-- coroutine stacks grow as needed
local function depth(n) if n == 0 then return coroutine.yield("deep") end return 1 + depth(n - 1) end
local co = coroutine.create(function() return depth(5000) end)
print(coroutine.resume(co))
print(coroutine.resume(co, 0))
-- many values on a coroutine stack
local co2 = coroutine.create(function()
  local t = {}
  for i = 1, 5000 do t[i] = i end
  coroutine.yield(unpack(t, 1, 500))
  return select("#", unpack(t))
end)
local r = {coroutine.resume(co2)}
print(#r, r[2], r[501])
print(coroutine.resume(co2))
-- stack overflow inside a coroutine is caught by resume
local co3 = coroutine.create(function() local function f() return 1 + f() end return f() end)
local ok, e = coroutine.resume(co3)
print(ok, (e:gsub("^.-:%d+: ", "")))
