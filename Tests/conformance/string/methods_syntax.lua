-- string functions called as methods
local s = "Hello, World"
print(s:len(), s:upper(), s:lower(), s:rep(2, nil))
print(s:sub(1, 5), s:byte(1), s:find("World"), s:match("%a+"))
print(s:gsub("o", "0"))
print(s:reverse(), s:format())
print(("%s=%d"):format("x", 5))
for w in s:gmatch("%a+") do io.write(w, ";") end
print()
print(("abc"):upper():lower():rep(2):len())
local t = {s = "field"}
print(t.s:upper())
print(#s:sub(3))
