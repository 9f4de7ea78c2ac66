-- gsub with table and function replacements
local vars = {name = "Lua", version = "5.1", empty = "", f = false}
print(string.gsub("$name $version $missing $empty|$f|", "%$(%w+)", vars))
print(string.gsub("a b c", "%w", {a = 1, b = false}))
print(pcall(string.gsub, "a b c", "%w", {a = true}))
print(string.gsub("hello world", "%w+", {hello = "HI"}))
print(string.gsub("k1 k2", "(k)(%d)", {k = "K"}))    -- the first capture is the key
-- function replacements receive the captures
print(string.gsub("hello world", "%w+", string.upper))
print(string.gsub("a1b2", "(%a)(%d)", function(l, d) return d .. l end))
print(string.gsub("abc", ".", function(c) return c:byte() .. " " end))
print(string.gsub("keep drop keep", "%w+", function(w) if w == "drop" then return "" end end))
print(string.gsub("x y z", "%w", function() return false end))
print(string.gsub("abc", "()", function(p) return p end))
print(string.gsub("2 3 4", "%d", function(d) return d * d end))
local count = 0
print(string.gsub("aaaa", "a", function() count = count + 1; if count % 2 == 0 then return "B" end end), count)
print(pcall(string.gsub, "abc", "b", function() return {} end))
print(pcall(string.gsub, "abc", "b", {b = {}}))
-- a table with __index is consulted through it
local proxy = setmetatable({}, {__index = function(_, k) return "<" .. k .. ">" end})
print(string.gsub("x y", "%w", proxy))
