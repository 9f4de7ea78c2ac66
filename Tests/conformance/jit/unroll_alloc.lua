-- allocation, strings and upvalue writes inside unrolled iterations (GC steps in the outer loop)
local keep = {}
local cnt = 0
local function bump(n) cnt = cnt + n end
local s = ""
for k = 1, 400 do
  local row = {}
  for i = 1, 4 do row[i] = {i, k} end
  for i = 1, 3 do cnt = cnt + row[i][1] * row[i + 1][2] end
  for i = 1, 2 do s = s .. (k % 10) end
  if #s > 50 then s = s:sub(-5) end
  keep[k % 7 + 1] = row
  collectgarbage("step")
end
bump(1)
print(cnt, s, #keep)
