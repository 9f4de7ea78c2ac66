-- string.len and string.sub with every index combination
local s = "hello"
print(string.len(s), #s, string.len(""), string.len("\0\0"))
local idx = {-7, -6, -5, -1, 0, 1, 2, 5, 6, 7}
for _, i in ipairs(idx) do
  local row = {}
  for _, j in ipairs(idx) do row[#row + 1] = "[" .. s:sub(i, j) .. "]" end
  print(i, table.concat(row))
end
print(s:sub(2), s:sub(-2), s:sub(0), s:sub(10), s:sub(-100))
print(("abc"):sub(2.9, 3.1))
print(s:sub("2", "3"))
print(string.sub("", 1, 1) == "", string.sub("x", 1, -1))
print(pcall(string.sub))
print(pcall(string.sub, "x", {}))
print(pcall(string.len, nil))
print(string.len(123), string.sub(12345, 2, 3))
