-- indexing strings: methods come from the string table via the metatable
local s = "Hello"
print(s:len(), s:upper(), s:lower(), s:sub(2, 3), s:rep(2))
print(s.len == string.len, s.nonexistent)
print(("abc"):byte(1, -1))
print(#s:rep(3))
print(s:find("l"), s:match("(H)(e)"))
-- numbers do not have methods
print(pcall(function() local n = 5; return n:type() end))
-- adding a function to string makes it a method
function string.shout(x) return x:upper() .. "!" end
print(("hi"):shout())
-- indexing a string with a number gives nil
print(("abc")[1], s[2])
