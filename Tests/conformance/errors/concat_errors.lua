-- concatenation errors name the offending operand
local function try(f) print(select(2, pcall(f))) end
try(function() local x; return "a" .. x end)
try(function() local x; return x .. "a" end)
try(function() local t = {}; return "a" .. t end)
try(function() return "a" .. undefined_g end)
try(function() local t = {}; return "a" .. t.field end)
try(function() local b = true; return b .. "" end)
try(function() return "a" .. "b" .. nil end)
try(function() local a, b, c = "x", "y", nil; return a .. b .. c end)
try(function() local a, b, c = "x", nil, "z"; return a .. b .. c end)
try(function() return 1 .. {} end)
try(function() return print .. "" end)
