-- indexing and calling nil upvalues names the upvalue
local up
local upn = 7
local function try(f) print(select(2, pcall(f))) end
try(function() return up.x end)
try(function() up.x = 1 end)
try(function() return up[1] end)
try(function() return upn.x end)
try(function() return up() end)
try(function() return up + 1 end)
try(function() return #up end)
try(function() return up .. "" end)
try(function() return -up end)
