-- data-dependent branches in unrolled copies (hot exits, noUnroll, side traces from copies)
local N = 6
local board = {}
local count = 0
local function ok(r, c)
  for i = 1, r - 1 do
    local q = board[i]
    if q == c or q - c == r - i or c - q == r - i then return false end
  end
  return true
end
local function place(r)
  if r > N then count = count + 1 return end
  for c = 1, N do
    if ok(r, c) then board[r] = c; place(r + 1) end
  end
end
for k = 1, 5 do place(1) end
print(count)
local bits = {}
for i = 1, 8 do bits[i] = 0 end
local z = 0
for k = 1, 500 do
  local x = k
  for i = 1, 8 do
    if x % 2 == 1 then bits[i] = bits[i] + 1 else z = z + i end
    x = (x - x % 2) / 2
  end
end
print(z, table.concat(bits, ","))
