-- unreferenced suspended coroutines are garbage collected
local weak = setmetatable({}, {__mode = "v"})
for i = 1, 10 do
  local co = coroutine.create(function() local big = {} for k = 1, 100 do big[k] = k end coroutine.yield() end)
  coroutine.resume(co)
  weak[i] = co
end
local keep = weak[3]
collectgarbage()
collectgarbage()
local n = 0
for _ in pairs(weak) do n = n + 1 end
print(n, weak[3] == keep, coroutine.status(keep))
print(coroutine.resume(keep))
print(coroutine.status(keep))
