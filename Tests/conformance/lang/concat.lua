-- the .. operator
print("a" .. "b", "a" .. 1, 1 .. "a", 1 .. 2, 1.5 .. 2.5, -1 .. -2)
print("" .. "", ("x"):rep(3) .. "y")
local s = ""
for i = 1, 10 do s = s .. i end
print(s, #s)
-- right associativity: strings built from right to left
local parts = {"a", "b", "c", "d", "e"}
print(parts[1] .. parts[2] .. parts[3] .. parts[4] .. parts[5])
-- long chains
local x = 1 .. 2 .. 3 .. 4 .. 5 .. 6 .. 7 .. 8 .. 9 .. 10 .. 11 .. 12 .. 13 .. 14 .. 15 .. 16 .. 17 .. 18 .. 19 .. 20
print(x)
-- big strings
local big = string.rep("ab", 50000)
print(#(big .. big), (big .. "!"):sub(-3))
-- errors name the offending value
print(pcall(function() return "a" .. {} end))
print(pcall(function() return "a" .. nil end))
print(pcall(function() local t = {}; return t.missing .. "x" end))
print(pcall(function() return 1 .. false end))
print(pcall(function() local v; return "x" .. v .. "y" end))
-- embedded zeros survive
local z = "a\0b" .. "\0c"
print(#z, z:byte(1, -1))
