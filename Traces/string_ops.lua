-- tracejit: --jit-eager
-- String operations: string.byte (STRBYTE), string.sub (STRSUB), # and string.len (FLOAD of the
-- length), .. (CAT) and tostring (TOSTR). Method syntax s:byte(i) goes through the string table.
local s = "the quick brown fox"
local sum, out = 0, ""
for i = 1, #s do
  sum = sum + s:byte(i) + string.len(s)
  out = s:sub(i, i) .. out
end
local t = ""
for i = 1, 8 do
  t = t .. tostring(i) .. ","
end
print(sum, out, t)
