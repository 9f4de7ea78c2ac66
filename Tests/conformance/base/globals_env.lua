-- _G and _VERSION
print(_VERSION)
print(_G._G == _G, _G.print == print, _G.string == string)
x_global = 1
print(_G.x_global, rawget(_G, "x_global"))
_G.y_global = 2
print(y_global)
local count = 0
for k, v in pairs(_G) do if k == "x_global" or k == "y_global" then count = count + 1 end end
print(count)
-- the environment of the main chunk is _G
print(getfenv() == _G, getfenv(0) == _G, getfenv(1) == _G)
