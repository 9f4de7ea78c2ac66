-- up to 32 captures are allowed; more is an error
local s = string.rep("a", 40)
local p32 = string.rep("(a)", 32)
local caps = {s:match(p32)}
print(#caps, caps[1], caps[32])
print(pcall(string.match, s, string.rep("(a)", 33)))
local pos = {s:match(string.rep("()", 32))}
print(#pos, pos[1], pos[32])
print(select("#", s:find(p32)))
