-- UTF-8 is handled as bytes; code points can be counted with patterns
local s = "h\195\169llo w\195\182rld \226\130\172 \240\159\152\128"
print(#s)
local n = 0
for _ in s:gmatch("[%z\1-\127\194-\244][\128-\191]*") do n = n + 1 end
print(n)
print(s:upper() == "H\195\169LLO W\195\182RLD \226\130\172 \240\159\152\128")
print(("\226\130\172"):byte(1, -1))
print(("\u{20AC}") == "\226\130\172")
local rev = {}
for ch in s:gmatch("[%z\1-\127\194-\244][\128-\191]*") do table.insert(rev, 1, ch) end
print(table.concat(rev) == "\240\159\152\128 \226\130\172 dlr\195\182w oll\195\169h")
print(s:sub(2, 3) == "\195\169", #s:sub(2, 2))
