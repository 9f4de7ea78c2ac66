-- indexing nil/non-table locals names the local
local function try(f) print(select(2, pcall(f))) end
try(function() local x; return x.y end)
try(function() local x; return x[1] end)
try(function() local x; x.y = 1 end)
try(function() local n = 5; return n.field end)
try(function() local b = true; return b[1] end)
try(function() local f = print; return f.x end)
try(function() local x = nil; return x.a.b end)
try(function(...) local a, b = ...; return b.c end)
try(function() for i = 1, 1 do local v; return v.k end end)
try(function() local t = {}; local v = t.missing; return v.x end)
