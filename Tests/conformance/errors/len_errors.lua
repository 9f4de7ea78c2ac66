-- the length operator on non-strings/non-tables
local function try(f) print(select(2, pcall(f))) end
try(function() local n = 1; return #n end)
try(function() local x; return #x end)
try(function() return #undefined_g end)
try(function() local t = {}; return #t.f end)
try(function() local b = false; return #b end)
try(function() return #print end)
print(#"", #{})
