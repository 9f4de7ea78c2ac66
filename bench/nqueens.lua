-- nqueens: count all placements of N non-attacking queens by backtracking,
-- with boolean arrays for occupied columns and diagonals.
-- Measures: recursion, branchy integer code, array loads/stores by index.
-- Size: the board side N (solution counts are known up to N = 16).
local N = tonumber(arg and arg[1]) or 13

local cols, diag1, diag2 = {}, {}, {}
for i = 1, 2 * N do cols[i] = false; diag1[i] = false; diag2[i] = false end
local placed = {}

local solutions, checksum = 0, 0

local function place(row)
  if row > N then
    solutions = solutions + 1
    -- a checksum over the solutions, independent of visit order
    local h = 0
    for r = 1, N do h = h + r * placed[r] end
    checksum = (checksum + h * h) % 1000003
    return
  end
  for c = 1, N do
    local d1, d2 = row + c, row - c + N
    if not cols[c] and not diag1[d1] and not diag2[d2] then
      cols[c], diag1[d1], diag2[d2] = true, true, true
      placed[row] = c
      place(row + 1)
      cols[c], diag1[d1], diag2[d2] = false, false, false
    end
  end
end

place(1)

local KNOWN = { 1, 0, 0, 2, 10, 4, 40, 92, 352, 724, 2680, 14200, 73712, 365596, 2279184, 14772512 }
if KNOWN[N] and solutions ~= KNOWN[N] then
  error(string.format("nqueens: %d solutions for N = %d, expected %d", solutions, N, KNOWN[N]))
end
local result = string.format("%d %d", solutions, checksum)
local expected = { [8] = "92 418954", [13] = "73712 244344" }
if expected[N] and result ~= expected[N] then
  error("nqueens: got " .. result .. ", expected " .. expected[N])
end
io.write("nqueens ", result, "\n")
