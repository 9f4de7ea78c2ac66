-- relational operators in branches and as values, constants on either side
local nums = {-1, 0, 1, 2.5}
local out = {}
for _, a in ipairs(nums) do
  for _, b in ipairs(nums) do
    local r = {}
    if a < b then r[#r + 1] = "<" end
    if a <= b then r[#r + 1] = "<=" end
    if a > b then r[#r + 1] = ">" end
    if a >= b then r[#r + 1] = ">=" end
    if a == b then r[#r + 1] = "==" end
    if a ~= b then r[#r + 1] = "~=" end
    if not (a < b) then r[#r + 1] = "!<" end
    out[#out + 1] = a .. "," .. b .. ":" .. table.concat(r, "")
  end
end
print(table.concat(out, " "))
local x = 1
print(x < 2, 2 < x, x <= 1, 1 <= x, x > 0, 0 > x, x >= 1, 1 >= x, x == 1, 1 == x, x ~= 1, 1 ~= x)
local s = "m"
print(s < "n", "n" < s, s <= "m", "m" >= s, s > "a", "z" > s, s == "m", "m" ~= s)
local n = nil
print(n == nil, nil == n, n ~= nil, n == false, false == n)
local t = {}
print(t == t, t ~= t, t == nil, nil ~= t)
-- comparison results stored and combined
local c1, c2 = 3 < 4, "b" < "a"
print(c1, c2, c1 == c2, c1 and c2, c1 or c2)
