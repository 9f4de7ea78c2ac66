-- print calls the global tostring for each argument
local old = tostring
tostring = function(v) return "<" .. old(v) .. ">" end
print(1, "a", nil, true)
tostring = old
print(1, "a")
local T = setmetatable({}, {__tostring = function() return "T!" end})
print(T, "and", T)
