-- empty matches in gsub/gmatch/find (Lua 5.1 rules: an empty match right after a non-empty one counts)
print(("abc"):gsub("%w*", "-"))
print(("abc"):gsub("x*", "-"))
print(("a,b,,c"):gsub("[^,]*", "<%0>"))
print(("hello world"):gsub("o*", "0"))
print((""):gsub("x*", "-"))
print(("abc"):gsub("b*", "X"))
local parts = {}
for m in ("a,b,,c"):gmatch("[^,]*") do parts[#parts + 1] = "[" .. m .. "]" end
print(#parts, table.concat(parts))
parts = {}
for m in ("abc"):gmatch("%w*") do parts[#parts + 1] = "[" .. m .. "]" end
print(#parts, table.concat(parts))
print(("abc"):find("x*"), ("abc"):find("x*", 2), ("abc"):find("x*", 4))
print(("abc"):match("x*", 3), ("abc"):match("()x*()", 2))
