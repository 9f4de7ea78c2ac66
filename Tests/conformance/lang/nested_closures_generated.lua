-- deeply nested functions, each capturing a variable from every enclosing level
local depth = 40
local src = {}
for d = 1, depth do src[#src + 1] = "local v" .. d .. " = " .. d .. " return function()" end
local sum = {}
for d = 1, depth do sum[#sum + 1] = "v" .. d end
src[#src + 1] = "return " .. table.concat(sum, " + ")
for d = 1, depth do src[#src + 1] = "end" end
local f = assert(loadstring(table.concat(src, " ")))
local g = f
for d = 1, depth do g = g() end
print(type(g), g(), depth * (depth + 1) / 2)
