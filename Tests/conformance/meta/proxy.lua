-- a tracking proxy built from __index/__newindex/__call
local function track(target)
  local log = {}
  local proxy = setmetatable({}, {
    __index = function(_, k) log[#log + 1] = "get " .. tostring(k); return target[k] end,
    __newindex = function(_, k, v) log[#log + 1] = "set " .. tostring(k); target[k] = v end,
  })
  return proxy, log
end
local data = {a = 1}
local p, log = track(data)
p.b = p.a + 1
p.a = nil
local _ = p.a
p[1] = "one"
print(data.a, data.b, data[1], rawget(p, "b"))
print(table.concat(log, "; "))
-- the proxy stays empty so every access goes through the metamethods
p.b = 5
p.b = 6
print(#log, data.b)
-- iterating a proxy sees nothing (pairs is raw in 5.1)
local n = 0
for _ in pairs(p) do n = n + 1 end
print(n)
