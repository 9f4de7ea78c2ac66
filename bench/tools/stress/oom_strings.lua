-- jit_stress.sh: builds strings by concatenation, makes garbage tables and keeps every tenth
-- one, until the heap ceiling (--max-memory) is reached.
local parts, kept = {}, {}
local s = ""
for i = 1, 100000 do
  local g = { i, i + 1, i + 2 }                -- garbage, mostly
  if i % 10 == 0 then kept[#kept + 1] = g end
  s = s .. string.char(97 + g[1] % 26)
  if #s >= 64 then
    parts[#parts + 1] = s
    s = ""
  end
  if i % 10000 == 0 then print(i, #parts, #kept) end
end
print("done", #parts, #table.concat(parts), #kept)
