-- things that exist in Lua 5.3/5.4 but not in the Lua 5.1 dialect
print(utf8, rawlen, warn)
print(math.type, math.tointeger, math.ult, math.maxinteger, math.mininteger)
print(string.pack, string.unpack, table.pack, table.unpack)
for _, src in ipairs({"return 7 // 2", "return 5 & 3", "return 5 | 3", "return 5 ~ 3", "return 1 << 2", "return 8 >> 1",
                      "return ~5", "local x <const> = 1", "local y <close> = nil"}) do
  local f, err = loadstring(src)
  print(src, f and "compiles" or "syntax error")
end
-- all numbers are floats: no integer subtype, no integer overflow wraparound
print(2^63, math.floor(2^62) * 4, 9007199254740993, 7 / 2, 3 % -2, -7 % 2.5)
print(1e308 * 10 == math.huge, 0x7fffffffffffffff == 2^63)
print(string.format("%d", 3.9), tostring(3) == tostring(3.0))
