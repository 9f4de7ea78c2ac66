-- knucleotide: count every overlapping substring of length k (k = 1, 2, 3,
-- 4, 6, 12, 18) of a generated DNA sequence in hash tables keyed by string,
-- sort the short ones by frequency, and look up chosen k-mers.
-- Measures: string.sub creating (mostly interned, repeated) short strings,
-- hash-table lookups and inserts with string keys, table.sort with a
-- comparator, pairs over hash parts (results never depend on pairs order).
-- Size: sequence length N.
local N = tonumber(arg and arg[1]) or 550000
local sub, byte, char, format = string.sub, string.byte, string.char, string.format

-- generate the sequence: a weighted random choice, with runs to make it less uniform
local seed = 2024
local function rand(n)
  seed = (seed * 16807) % 2147483647
  return seed % n
end
local ACGT = { 65, 67, 71, 84 }
local parts, chunk = {}, {}
local produced = 0
while produced < N do
  local w = N - produced
  if w > 100 then w = 100 end
  for i = 1, w do
    local r = rand(100)
    local b
    if r < 30 then b = 1 elseif r < 50 then b = 2 elseif r < 70 then b = 3 else b = 4 end
    if r >= 95 and i > 1 then chunk[i] = chunk[i - 1] else chunk[i] = ACGT[b] end
  end
  parts[#parts + 1] = char((unpack or table.unpack)(chunk, 1, w))
  produced = produced + w
end
local seq = table.concat(parts)

local function count(k)
  local counts = {}
  for i = 1, #seq - k + 1 do
    local key = sub(seq, i, i + k - 1)
    counts[key] = (counts[key] or 0) + 1
  end
  return counts
end

-- sorted frequencies for k = 1, 2 folded into a checksum
local function frequencies(k)
  local counts = count(k)
  local keys = {}
  for key in pairs(counts) do keys[#keys + 1] = key end
  table.sort(keys, function(a, b)
    local ca, cb = counts[a], counts[b]
    if ca ~= cb then return ca > cb end
    return a < b
  end)
  local h = 0
  for i = 1, #keys do
    local key = keys[i]
    h = (h * 131 + byte(key, 1) * 7 + byte(key, -1) + counts[key]) % 1000003
  end
  return #keys, h
end

local fields = {}
for k = 1, 2 do
  local n, h = frequencies(k)
  fields[#fields + 1] = format("%d:%d", n, h)
end
local mid = math.floor(N / 2)
for _, k in ipairs({ 3, 4, 6, 12, 18 }) do
  local counts = count(k)
  local distinct, sq, total = 0, 0, 0
  for _, c in pairs(counts) do
    distinct = distinct + 1
    total = total + c
    sq = (sq + c * c) % 1000003
  end
  if total ~= #seq - k + 1 then error("knucleotide: counts do not add up for k = " .. k) end
  local probe = sub(seq, mid, mid + k - 1)
  fields[#fields + 1] = format("%d:%d:%d", distinct, sq, counts[probe] or 0)
end

local result = table.concat(fields, " ")
local expected = {
  [2000] = "4:919650 16:57798 64:68720:23 254:19099:9 1519:3197:3 1989:1989:1 1983:1983:1",
  [550000] = "4:954816 16:698655 64:838731:4558 256:445257:1394 4096:851262:162 536145:578535:1 549978:549993:1",
}
if expected[N] and result ~= expected[N] then
  error("knucleotide: got " .. result .. ", expected " .. expected[N])
end
io.write("knucleotide ", result, "\n")
