-- numeric literals, tonumber and string coercion agree
local lits = {"0", "1", "-1", "0.5", "1e10", "1E-10", "0x10", "0xff", "123456789", "3.14159", ".25", "5e+2"}
for _, s in ipairs(lits) do
  local lit = assert(loadstring("return " .. s))()
  print(s, lit, tonumber(s) == lit, (s + 0) == lit, tostring(lit) == tostring(tonumber(s)))
end
