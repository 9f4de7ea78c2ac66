-- upper/lower map only ASCII letters (C locale)
print(string.upper("hello World 123 _!"), string.lower("HELLO World 123 _!"))
print(("MiXeD"):upper(), ("MiXeD"):lower(), (""):upper())
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local s = table.concat(all)
local up, low = s:upper(), s:lower()
local changed_up, changed_low = 0, 0
for i = 1, 256 do
  if up:byte(i) ~= s:byte(i) then changed_up = changed_up + 1 end
  if low:byte(i) ~= s:byte(i) then changed_low = changed_low + 1 end
end
print(#up, #low, changed_up, changed_low)
print(("a\0b"):upper() == "A\0B")
print(string.upper(42), pcall(string.upper))
