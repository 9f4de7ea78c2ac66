-- gmatch with position captures and mixed captures
local s = "alpha beta  gamma"
for p1, w, p2 in s:gmatch("()(%a+)()") do io.write(p1, "-", w, "-", p2, " ") end
print()
for k, v in ("a=1;b=22;;c=333"):gmatch("(%w+)=(%w+)") do io.write(k, v, ",") end
print()
local nums = {}
for n in ("10, -5, 3.25, x, 7"):gmatch("-?%d+%.?%d*") do nums[#nums + 1] = tonumber(n) end
print(#nums, nums[1] + nums[2] + nums[3] + nums[4])
local lines = {}
for line in ("one\ntwo\n\nfour"):gmatch("([^\n]*)\n?") do lines[#lines + 1] = "<" .. line .. ">" end
print(#lines, table.concat(lines))
local pairs_found = {}
for a, b in ("[1,2] [3,4] [5,6]"):gmatch("%[(%d+),(%d+)%]") do pairs_found[#pairs_found + 1] = a + b end
print(table.concat(pairs_found, " "))
