-- number formatting and parsing over a deterministic sweep of magnitudes
local seed = 12345
local function rnd() seed = (seed * 16807) % 2147483647; return seed end
local lines = {}
local roundtrip_ok, parse_ok = true, true
for e = -30, 30, 3 do
  for k = 1, 3 do
    local m = rnd() / 2147483647 * 10
    local x = m * 10 ^ e
    if k == 2 then x = -x end
    lines[#lines + 1] = table.concat({tostring(x), string.format("%.14g", x), string.format("%g", x),
      string.format("%.3e", x), string.format("%.5f", x)}, " ")
    if tonumber(string.format("%.17g", x)) ~= x then roundtrip_ok = false end
    if tonumber(tostring(x)) ~= tonumber(string.format("%.14g", x)) then parse_ok = false end
  end
end
print(table.concat(lines, "\n"))
print(roundtrip_ok, parse_ok)
-- integers of every length, and values next to powers of two and ten
for d = 1, 17 do io.write(tostring(10 ^ d - 1), " ") end
print()
for p = 20, 64, 4 do io.write(tostring(2 ^ p - 1), " ", tostring(2 ^ p + 1), " ") end
print()
for _, v in ipairs({0.5, 0.25, 0.125, 1 / 1024, 1 / 3, 2 / 3, 1 / 7, 22 / 7, 1e-7, 123e-9, 9.999999999999999, 99999999999999.9}) do
  io.write(tostring(v), " ")
end
print()
