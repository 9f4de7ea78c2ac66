-- reserved words cannot be names but can be string keys
local words = {"and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in",
  "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"}
local t = {}
for i, w in ipairs(words) do t[w] = i end
print(t["end"], t["while"], t["nil"])
for _, w in ipairs(words) do
  local f, err = loadstring("local " .. w .. " = 1")
  io.write(w, ":", f and "ok" or "err", " ")
end
print()
-- names that are not reserved in 5.1
local goto_ok = loadstring("local continue = 1 return continue")
print(goto_ok and goto_ok())
-- names are case sensitive
local And, END, Nil = 1, 2, 3
print(And, END, Nil)
-- names with underscores and digits
local _ = "underscore"; local _x1 = "x1"; local __ = "double"
print(_, _x1, __)
