-- io.lines and file:lines
local name = os.tmpname()
local f = assert(io.open(name, "w"))
for i = 1, 5 do f:write("row ", i, "\n") end
f:write("final")
f:close()
for line in io.lines(name) do io.write("[", line, "]") end
print()
f = assert(io.open(name))
local n = 0
for line in f:lines() do n = n + #line end
print(n)
f:close()
-- empty lines are preserved
f = assert(io.open(name, "w"))
f:write("a\n\n\nb\n")
f:close()
local count = 0
for line in io.lines(name) do count = count + 1 end
print(count)
os.remove(name)
local ok, e = pcall(io.lines, name .. ".missing")
print(ok, (e:gsub("/tmp/%S+", "FILE")))
