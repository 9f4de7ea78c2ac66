-- errors raised from __index/__newindex functions carry their own position
local t = setmetatable({}, {__index = function(_, k)
  if k == "boom" then error("no such key: " .. k) end
  return k
end})
print(t.ok)
print(pcall(function() return t.boom end))
local level2 = setmetatable({}, {__index = function(_, k) error("bad key " .. k, 2) end})
print(pcall(function()
  return level2.x    -- this line is blamed (level 2)
end))
local strict = setmetatable({}, {__newindex = function(_, k) error("assignment to undeclared " .. k, 2) end})
print(pcall(function() strict.v = 1 end))
-- a strict global environment
local env = setmetatable({print = print, pcall = pcall}, {__index = function(_, k) error("undefined global " .. k, 2) end})
local f = loadstring("print(pcall(function() return undefined_var end))", "=strict")
setfenv(f, env)
f()
