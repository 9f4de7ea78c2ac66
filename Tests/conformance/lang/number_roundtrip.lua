-- tonumber(tostring(x)) and string.format("%.17g") round trips
local vals = {0, 1, -1, 0.5, 0.1, 1/3, 2^53, 2^-20, 1e300, 123.456, -987654.321, 1e-10}
for _, v in ipairs(vals) do
  local s = tostring(v)
  local back = tonumber(s)
  local exact = tonumber(string.format("%.17g", v))
  print(s, back == v, exact == v)
end
print(tonumber("0.1") == 0.1, tonumber("1e-1") == 0.1, tonumber("0x1p-1"))
print(string.format("%.17g", 0.1), string.format("%.17g", 1/3))
