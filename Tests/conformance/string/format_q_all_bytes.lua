-- %q output of every byte value loads back to the same string
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local s = table.concat(all)
local q = string.format("%q", s)
local back = assert(loadstring("return " .. q))()
print(back == s, #back)
-- pairs of bytes that could be confused with decimal escapes
local tricky = "\0" .. "1" .. "\1" .. "2" .. "\0009" .. "\n1" .. "\r2"
local back2 = assert(loadstring("return " .. string.format("%q", tricky)))()
print(back2 == tricky, #back2)
for i = 0, 255, 37 do
  local one = string.char(i) .. "7"
  io.write(tostring(assert(loadstring("return " .. string.format("%q", one)))() == one), " ")
end
print()
