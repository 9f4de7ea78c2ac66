-- a source file with CRLF line endings: line numbers and long strings treat CR LF as one newline
local s = [[
first
second]]
print(#s, (s:gsub("\n", "|")))
print(s:find("\r"))
local ok, e = pcall(function()
  local t = nil
  return t.x
end)
print(e)
local q = "a\
b"
print(#q, q:byte(2))
-- no newline at the end of this file
print("end")