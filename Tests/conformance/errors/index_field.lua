-- indexing through fields, methods and computed keys
local t = {inner = {}, num = 1, str = "s"}
local function try(f) print(select(2, pcall(f))) end
try(function() return t.missing.x end)
try(function() return t.inner.missing.x end)
try(function() t.missing.x = 1 end)
try(function() return t.num.x end)
try(function() return t["missing"].x end)
try(function() local k = "missing"; return t[k].x end)
try(function() return t[1].x end)
try(function() return t.inner[2].x end)
try(function() return t.str.x.y end)
try(function() return t:missing() end)
try(function() return t.inner:missing() end)
try(function() return t.num:method() end)
