-- table function argument errors called from Lua (named)
local function try(f) print(select(2, pcall(f))) end
try(function() local r = table.concat(nil) return r end)
try(function() local r = table.concat({{}}) return r end)
try(function() local r = table.insert(1, 2) return r end)
try(function() local r = table.remove("x") return r end)
try(function() local r = table.sort(nil) return r end)
try(function() local r = table.sort({}, "x") return r end)
try(function() local r = table.maxn(nil) return r end)
