-- order comparisons between incompatible types
local function try(f) print(select(2, pcall(f))) end
try(function() return 1 < "2" end)
try(function() return "2" < 1 end)
try(function() return 1 < nil end)
try(function() return nil < 1 end)
try(function() return {} < {} end)
try(function() return {} <= {} end)
try(function() return {} > 1 end)
try(function() return 1 >= {} end)
try(function() return true < false end)
try(function() return print < print end)
try(function() local x; return x > 0 end)
try(function() return "a" <= nil end)
-- equality never errors
print(1 == "1", {} == {}, nil == false)
