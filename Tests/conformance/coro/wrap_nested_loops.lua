-- generators used in nested loops, each inner loop creating fresh generators
local function range(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end
local out = {}
for i in range(4) do
  local row = {}
  for j in range(i) do row[#row + 1] = i * j end
  out[#out + 1] = table.concat(row, ",")
end
print(table.concat(out, " | "))
local total = 0
for a in range(30) do for b in range(30) do total = total + a * b end end
print(total)
