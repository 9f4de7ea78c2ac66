-- string.byte and string.char
print(string.byte("A"), string.byte("ABC", 2), string.byte("ABC", -1))
print(string.byte("ABC", 1, 3))
print(string.byte("ABC", 0, 10))
print(string.byte("ABC", 3, 1))
print(string.byte(""), select("#", string.byte("")))
print(string.byte("\0\255"))
print(string.byte("\0\255", 1, 2))
print(string.byte("hello", -3, -2))
print(string.char(72, 105), string.char(), #string.char(0, 0))
print(string.char(65.7, "66"))
local all = {}
for i = 0, 255 do all[#all + 1] = i end
local s = string.char(unpack(all))
print(#s, s:byte(1), s:byte(256))
local ok = true
for i = 1, 256 do if s:byte(i) ~= i - 1 then ok = false end end
print(ok)
print(pcall(string.char, 256))
print(pcall(string.char, -1))
print(pcall(string.char, "x"))
print(pcall(string.byte))
