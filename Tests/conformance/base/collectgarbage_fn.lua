-- collectgarbage options: only properties are printed
print(collectgarbage())
print(collectgarbage("collect"))
local kb = collectgarbage("count")
print(type(kb), kb > 0)
local before = collectgarbage("count")
local junk = {}
for i = 1, 10000 do junk[i] = {i} end
local during = collectgarbage("count")
junk = nil
collectgarbage()
local after = collectgarbage("count")
print(during > before, after < during)
print(type(collectgarbage("step")))
print(type(collectgarbage("setpause", 200)), type(collectgarbage("setstepmul", 200)))
collectgarbage("stop")
collectgarbage("restart")
print(pcall(collectgarbage, "bogus"))
print(type(gcinfo()))
