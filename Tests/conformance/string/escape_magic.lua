-- escaping pattern magic characters and using plain find
local magic = "^$()%.[]*+-?"
local escaped = magic:gsub("[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0")
print(escaped)
print(("x" .. magic .. "y"):find(escaped), ("x" .. magic .. "y"):find(magic, 1, true))
for i = 1, #magic do
  local c = magic:sub(i, i)
  io.write(c, "=", tostring(("a" .. c .. "b"):find(c, 1, true)), " ")
end
print()
local function replace_plain(s, old, new)
  local pat = old:gsub("%p", "%%%0")
  local repl = new:gsub("%%", "%%%%")
  return (s:gsub(pat, repl))
end
print(replace_plain("cost: 5$ (approx.)", "5$ (approx.)", "100%"))
print(replace_plain("a.b.c", ".", "%1"))
