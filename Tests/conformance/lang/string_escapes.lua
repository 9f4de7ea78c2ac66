-- string escape sequences (as LuaJIT 2.1 accepts them)
local function bytes(s)
  local t = {}
  for i = 1, #s do t[i] = s:byte(i) end
  return #s .. ":" .. table.concat(t, ",")
end
print(bytes("\a\b\f\n\r\t\v"))
print(bytes("\\\"\'"))
print(bytes("\0\1\12\123\255"))
print(bytes("\0001"), bytes("\1234"))
print(bytes("\x00\x41\x7f\xff\xAb"))
print(bytes("a\z
            b"))
print(bytes("a\z  b"))
print(bytes("line1\
line2"))
print(bytes("\u{41}\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"))
print(bytes("\u{0}"), bytes("\u{00000041}"))
print('single "double" inside', "double 'single' inside")
print("tab:\t|", "A\65\066\0677")
print(#"\z", #"\z   ")
-- invalid escapes are syntax errors
for _, src in ipairs{ [[return "\q"]], [[return "\x4"]], [[return "\xZZ"]], [[return "\256"]], [[return "\u{110000}"]], [[return "\u41"]], [[return "abc]] } do
  local f, err = loadstring(src)
  print(f, err)
end
