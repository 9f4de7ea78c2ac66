-- generated code near the compiler's limits (locals, upvalues, constants, arguments)
local function gen_locals(n)
  local b = {}
  for i = 1, n do b[#b + 1] = "local v" .. i .. " = " .. i end
  b[#b + 1] = "return v1 + v" .. n .. ", " .. n
  return table.concat(b, "\n")
end
print(assert(loadstring(gen_locals(150)))())
print(assert(loadstring(gen_locals(199)))())
local f, err = loadstring(gen_locals(250))
print(f, err)
-- 60 upvalues
local function gen_upvals(n)
  local b = {}
  for i = 1, n do b[#b + 1] = "local u" .. i .. " = " .. i end
  b[#b + 1] = "return function() return 0"
  for i = 1, n do b[#b + 1] = "+ u" .. i end
  b[#b + 1] = "end"
  return table.concat(b, "\n")
end
print(assert(loadstring(gen_upvals(60)))()())
-- many constants in one function
local parts = {"local t = {}"}
for i = 1, 2000 do parts[#parts + 1] = ("t[%d] = 's%d' .. %d.5"):format(i, i, i) end
parts[#parts + 1] = "return #t, t[1], t[2000]"
print(assert(loadstring(table.concat(parts, "\n")))())
-- many arguments
local args = {}
for i = 1, 200 do args[i] = tostring(i) end
print(assert(loadstring("return select('#', " .. table.concat(args, ",") .. ")"))())
-- a long chain of additions
local chain = {}
for i = 1, 500 do chain[i] = "1" end
print(assert(loadstring("return " .. table.concat(chain, " + ")))())
-- deeply nested parentheses
print(assert(loadstring("return " .. string.rep("(", 100) .. "7" .. string.rep(")", 100)))())
-- deeply nested tables
print(assert(loadstring("return " .. string.rep("{", 100) .. "'deep'" .. string.rep("}", 100)))()[1][1][1] ~= nil)
-- long concatenation chain
local cc = {}
for i = 1, 150 do cc[i] = "'" .. (i % 10) .. "'" end
print(#assert(loadstring("return " .. table.concat(cc, " .. ")))())
-- big table constructor
local items = {}
for i = 1, 1000 do items[i] = tostring(i * 2) end
local big = assert(loadstring("return {" .. table.concat(items, ",") .. "}"))()
print(#big, big[1], big[1000])
