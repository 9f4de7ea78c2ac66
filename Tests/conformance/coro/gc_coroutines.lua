-- unreferenced suspended coroutines are garbage collected
-- (garbage is created inside a helper function so that no dead stack slot of a live frame refers to it)
local weak = setmetatable({}, {__mode = "v"})
local function spawn_all()
  for i = 1, 10 do
    local co = coroutine.create(function() local big = {} for k = 1, 100 do big[k] = k end coroutine.yield() end)
    coroutine.resume(co)
    weak[i] = co
  end
end
spawn_all()
local keep = weak[3]
collectgarbage()
collectgarbage()
local n = 0
for _ in pairs(weak) do n = n + 1 end
print(n, weak[3] == keep, coroutine.status(keep))
print(coroutine.resume(keep))
print(coroutine.status(keep))
