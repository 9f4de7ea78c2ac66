-- tonumber: decimal, hex, exponents, whitespace, invalid input, bases 2..36
local inputs = {"10", "  10  ", "\t\n10\n", "-10", "+10", "10.5", ".5", "5.", "1e3", "1E-3", "0x1A", "0X1a",
  "-0x10", "  0x10  ", "0x", "1e", "e1", "", " ", "abc", "10abc", "1 0", "inf", "nan", "0x1p4", "1e500",
  "-1e500", "0x7fffffff", "0xffffffffffffffff", "00012", "1_000", "١"}
for _, s in ipairs(inputs) do print(string.format("%q", s), tonumber(s)) end
print(tonumber(42), tonumber(-0), tonumber(1/0))
print(tonumber(nil), tonumber(true), tonumber({}), tonumber(print))
-- with a base
print(tonumber("ff", 16), tonumber("FF", 16), tonumber("11", 2), tonumber("777", 8), tonumber("z", 36), tonumber("Z", 36))
print(tonumber("10", 10), tonumber("10", 36), tonumber("  11  ", 2), tonumber("-ff", 16), tonumber("-11", 2))
print(tonumber("2", 2), tonumber("g", 16), tonumber("1.5", 10), tonumber("", 10), tonumber("0x10", 16))
print(tonumber("zzzzzz", 36), tonumber("1111111111111111111111111111111111111111111111111111", 2))
print(tonumber(10, 16), tonumber(255, 10))
print(pcall(tonumber, "10", 1), pcall(tonumber, "10", 37))
print(pcall(tonumber))
