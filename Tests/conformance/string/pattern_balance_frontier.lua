-- %b balanced matches and %f frontier patterns
print(("f(a(b)c)d(e)"):match("%b()"))
print(("[[a][b]]"):gsub("%b[]", "X"))
print(("if x then y end"):match("%bie"))
print(("no close ("):match("%b()"))
print(("<<a>b>"):match("%b<>"))
print(("a''b"):match("%b''"))
local parts = {}
for b in ("(a)(b(c))((d))"):gmatch("%b()") do parts[#parts + 1] = b end
print(table.concat(parts, " "))
print(pcall(string.match, "x", "%b"))
print(pcall(string.match, "x", "%bx"))
-- frontier
print(("THE (quick) fox"):gsub("%f[%a]%a+", "W"))
print(("hello world"):gsub("%f[%w]%w+", function(w) return w:sub(1, 1):upper() .. w:sub(2) end))
print(("THE (quick) fox"):find("%f[%a]"), ("THE (quick) fox"):find("%f[%A]"))
print(("foo bar foobar"):gsub("%f[%w]foo%f[%W]", "X"))
print(("x1y22z333"):gsub("%f[%d]%d+", "#"))
print(("abc"):find("%f[%z]"), ("abc"):find("%f[a]"))
print(pcall(string.find, "x", "%f"))
print(pcall(string.find, "x", "%fa"))
