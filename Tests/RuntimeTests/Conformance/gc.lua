local before = collectgarbage("count")
print(type(before), before > 0)
-- allocation-heavy work: binary trees
local function make(d) if d == 0 then return {} end return {make(d - 1), make(d - 1)} end
local function check(t) if not t[1] then return 1 end return 1 + check(t[1]) + check(t[2]) end
local total = 0
for i = 1, 20 do total = total + check(make(10)) end
print("nodes", total)
collectgarbage()
collectgarbage("collect")
print(collectgarbage("count") < before + 1000)
collectgarbage("stop")
local junk = {}
for i = 1, 1000 do junk[i] = {i} end
collectgarbage("restart")
junk = nil
collectgarbage()
print(pcall(collectgarbage, "bogus"))
-- strings and closures survive collections while referenced
local keep = {}
for i = 1, 200 do keep[i] = "s" .. i; local v = i; keep[i + 1000] = function() return v end end
collectgarbage()
print(keep[200], keep[1200]())
-- upvalues of a finished coroutine stay valid
local getter
do
  local co = coroutine.create(function() local secret = "kept"; getter = function() return secret end; coroutine.yield() end)
  coroutine.resume(co)
end
collectgarbage()
collectgarbage()
print(getter())
