-- and/or/not in conditions and as values: full truth tables (exercises jump-list code generation)
local vals = {false, true}
local rows = {}
for _, a in ipairs(vals) do for _, b in ipairs(vals) do for _, c in ipairs(vals) do for _, d in ipairs(vals) do
  local r = {}
  if (a and b) or (c and not d) then r[#r + 1] = "1" else r[#r + 1] = "0" end
  if not (a or b) and (c or d) then r[#r + 1] = "1" else r[#r + 1] = "0" end
  if a and (b or c) and not d then r[#r + 1] = "1" else r[#r + 1] = "0" end
  if (a or b) == (c or d) then r[#r + 1] = "1" else r[#r + 1] = "0" end
  if not not a ~= not b then r[#r + 1] = "1" else r[#r + 1] = "0" end
  r[#r + 1] = tostring((a and b) or (c and d))
  r[#r + 1] = tostring(a and not b or c)
  r[#r + 1] = tostring(not (a and b and c and d))
  while a and not b do r[#r + 1] = "w"; break end
  repeat if c or d then r[#r + 1] = "r" end until a or true
  rows[#rows + 1] = table.concat(r, " ")
end end end end
for i, row in ipairs(rows) do print(i, row) end
-- with nil and non-boolean values
local xs = {nil, false, 0, "", "x"}
for i = 1, 5 do
  local x = xs[i]
  print(i, x and "T" or "F", x or "default", not x, x == nil, x ~= false)
end
