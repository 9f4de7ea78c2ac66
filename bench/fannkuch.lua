-- fannkuch-redux: for every permutation of 1..N, count the prefix reversals
-- ("pancake flips") until 1 is in front. Reports a checksum (alternating sum
-- over the permutations in generation order) and the maximum flip count.
-- Measures: small-integer array shuffling, short inner loops, branches.
-- Size: N (the permutation length).
local N = tonumber(arg and arg[1]) or 10

local function fannkuch(n)
  local perm, work, count = {}, {}, {}
  for i = 1, n do perm[i] = i end
  local maxflips, checksum, sign = 0, 0, 1
  local r = n
  while true do
    -- count the flips of the current permutation
    local first = perm[1]
    if first ~= 1 then
      for i = 2, n do work[i] = perm[i] end
      local flips = 0
      local k = first
      repeat
        -- reverse work[1..k]; work[1] is kept in k
        local lo, hi = 2, k - 1
        while lo < hi do
          work[lo], work[hi] = work[hi], work[lo]
          lo = lo + 1; hi = hi - 1
        end
        local nk = work[k]
        work[k] = k
        k = nk
        flips = flips + 1
      until k == 1
      if flips > maxflips then maxflips = flips end
      checksum = checksum + sign * flips
    end
    sign = -sign
    -- next permutation: rotate prefixes, counting like a mixed-radix odometer
    while r ~= 1 do count[r] = r; r = r - 1 end
    while true do
      if r == n then return checksum, maxflips end
      local p1 = perm[1]
      for i = 1, r do perm[i] = perm[i + 1] end
      perm[r + 1] = p1
      count[r + 1] = count[r + 1] - 1
      if count[r + 1] > 0 then break end
      r = r + 1
    end
  end
end

local checksum, maxflips = fannkuch(N)
local result = string.format("%d %d", checksum, maxflips)
local expected = {
  [1] = "0 0", [2] = "-1 1", [3] = "2 2", [4] = "4 4", [5] = "11 7", [6] = "49 10",
  [7] = "228 16", [8] = "1616 22", [9] = "8629 30", [10] = "73196 38",
  [11] = "556355 51", [12] = "3968050 65",
}
if expected[N] and result ~= expected[N] then
  error("fannkuch: got " .. result .. ", expected " .. expected[N])
end
io.write("fannkuch ", result, "\n")
