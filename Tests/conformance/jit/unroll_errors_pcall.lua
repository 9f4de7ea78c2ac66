local t = {1, 2, 3, 4}
local s = 0
local function body(k)
  for i = 1, 4 do
    s = s + t[i]
  end
end
for k = 1, 200 do
  if k == 150 then t[2] = nil end
  local ok, e = pcall(body, k)
  if not ok then s = s + 1; if k % 10 == 0 then print(k, e) end end
  if k == 170 then t[2] = 2 end
end
print(s)
