-- runtime errors in loaded chunks use the chunk name
local f = loadstring("local t = nil\nreturn t.x", "=mychunk")
print(pcall(f))
f = loadstring("return nil + 1")
print(pcall(f))
f = loadstring("error('from chunk')", "@virtual/file.lua")
print(pcall(f))
f = loadstring("local a = {}\n\n\nreturn a.b.c", "code with spaces")
print(pcall(f))
-- syntax errors are returned, not raised
print(loadstring("return +"))
print(pcall(loadstring, "x = "))
-- load with a reader function
local parts = {"return ", "1 + ", "nil"}
local i = 0
f = load(function() i = i + 1; return parts[i] end, "=reader")
print(pcall(f))
