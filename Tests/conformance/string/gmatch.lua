-- string.gmatch iteration
local words = {}
for w in ("one two  three\tfour\nfive"):gmatch("%S+") do words[#words + 1] = w end
print(#words, table.concat(words, ","))
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do io.write(k, "->", v, " ") end
print()
for pos in ("abc"):gmatch("()") do io.write(pos, " ") end
print()
for e in ("abc"):gmatch("") do io.write("[", e, "]") end
print()
local n = 0
for _ in ("aaaa"):gmatch("a*") do n = n + 1 end
print(n)
for c in ("h.e.l.l.o"):gmatch("[^%.]") do io.write(c) end
print()
for a, b in ("ab cd ef"):gmatch("(%a)(%a)") do io.write(b, a, " ") end
print()
-- '^' is not an anchor in gmatch: it matches literally
for m in ("^a^a"):gmatch("^a") do io.write("<", m, ">") end
print()
-- the iterator can be called directly
local it = ("x1y2"):gmatch("%d")
print(it(), it(), it())
print(type((""):gmatch("x")))
print(pcall(string.gmatch, nil, "x"))
