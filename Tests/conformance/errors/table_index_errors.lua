-- invalid table keys on assignment
local function try(f) print(select(2, pcall(f))) end
try(function() local t = {}; t[nil] = 1 end)
try(function() local t = {}; local k; t[k] = 1 end)
try(function() local t = {}; t[0/0] = 1 end)
try(function() return {[nil] = 1} end)
try(function() local k = 0/0; return {[k] = 1} end)
try(function() rawset({}, nil, 1) end)
try(function() rawset({}, 0/0, 1) end)
-- reading with nil or NaN keys is fine
local t = {}
print(t[nil], t[0/0], rawget(t, nil))
-- assigning nil to a nil key is still an error
try(function() local t2 = {}; t2[nil] = nil end)
