-- character classes over all 256 byte values (C locale)
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local s = table.concat(all)
for _, cls in ipairs({"a", "c", "d", "l", "p", "s", "u", "w", "x", "z"}) do
  local lower = select(2, s:gsub("%" .. cls, ""))
  local upper = select(2, s:gsub("%" .. cls:upper(), ""))
  print("%" .. cls, lower, "%" .. cls:upper(), upper, lower + upper)
end
print(("%.*+?-^$()[]"):gsub("%p", "P"))
print(("a1 B2\t_"):gsub("%w", "w"))
print(("a1 B2\t_"):gsub("%W", "W"))
print(("0123456789abcdefABCDEFgG"):gsub("%x", "."))
print(("x\0y"):gsub("%z", "Z"))
print(("tab\tnl\ncr\rvt\vff\f sp"):gsub("%s", "_"))
-- '.' matches every byte, including newline and zero
print(select(2, s:gsub(".", "")))
-- escaped non-alphanumerics match themselves
print(("a.b"):find("%."), ("a%b"):find("%%"), ("(x)"):find("%("))
