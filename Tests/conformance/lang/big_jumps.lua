-- generated functions whose loops and branches span many instructions
local parts = {"local s, i = 0, 0", "while i < 3 do", "i = i + 1"}
for k = 1, 12000 do parts[#parts + 1] = "s = s + " .. (k % 7) end
parts[#parts + 1] = "end"
parts[#parts + 1] = "return s"
local f = assert(loadstring(table.concat(parts, "\n")))
print(f())
-- a long if/elseif chain
local chain = {"local x = ... local r"}
for k = 1, 500 do chain[#chain + 1] = (k == 1 and "if" or "elseif") .. " x == " .. k .. " then r = " .. (k * 3) end
chain[#chain + 1] = "else r = -1 end return r"
local g = assert(loadstring(table.concat(chain, "\n")))
print(g(1), g(250), g(500), g(501))
-- a forward goto over a large block
local jump = {"local n = 0", "goto skip"}
for k = 1, 10000 do jump[#jump + 1] = "n = n + 1" end
jump[#jump + 1] = "::skip::"
jump[#jump + 1] = "return n"
print(assert(loadstring(table.concat(jump, "\n")))())
-- a large numeric for body with a break at the end
local big = {"local c = 0", "for i = 1, 5 do"}
for k = 1, 8000 do big[#big + 1] = "c = c + 1" end
big[#big + 1] = "if i == 3 then break end end return c"
print(assert(loadstring(table.concat(big, "\n")))())
