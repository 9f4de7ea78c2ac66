-- an error raised inside an unrolled iteration
local t = {1, 2, 3, 4}
local s = 0
for k = 1, 200 do
  for i = 1, 4 do
    s = s + t[i]
  end
  if k == 150 then t[3] = "x" end
  if k == 151 then t[3] = {} end
end
print(s)
