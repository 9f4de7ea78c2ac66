-- string.format argument errors
local function try(...) print(pcall(string.format, ...)) end
try("%d")
try("%d", "x")
try("%d", nil)
try("%f", {})
try("%c")
try("%s")
try("%y", 1)
try("%d %d", 1)
try()
try(nil)
print(string.format("%d", 1, 2, 3))
print(string.format(12))
