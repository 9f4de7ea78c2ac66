-- find with plain=true never interprets magic characters; init edge cases
local s = "a.b*c+d?e[f]g(h)i%j^k$l-m"
for _, p in ipairs({".", "*", "+", "?", "[", "]", "(", ")", "%", "^", "$", "-", "[f]", "%j", "^k$"}) do
  io.write(p, ":", tostring(s:find(p, 1, true)), " ")
end
print()
print(s:find("", 1, true), s:find("", #s + 1, true), s:find("", #s + 2, true))
print(s:find("a", -100, true), s:find("m", -1, true), s:find("a", 0, true))
print(("aaa"):find("aa", 2, true), ("aaa"):find("aa", 3, true))
print(("x"):find("x", 1, false), ("x"):find("x", 1, nil), ("x"):find(".", 1, 1))
