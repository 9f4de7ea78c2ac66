-- fasta: generate DNA-like sequences in FASTA layout (60 columns): one section
-- repeating a fixed source string, two sections drawn from weighted alphabets
-- with a linear congruential generator. The text is kept in memory and
-- summarised (letter counts by gsub, a line hash) instead of being printed.
-- Measures: string.sub/char/byte, table.concat, unpack of line buffers,
-- float compares in the weighted choice, string garbage.
-- Size: N; the sections have 2N, 3N and 5N letters.
local N = tonumber(arg and arg[1]) or 600000
local unpack = unpack or table.unpack
local WIDTH = 60

local SOURCE = "GATTACACCGTAGGCTTAACGGATCCTAGGAATTCGCGTACGATCGATTTGCAAGCTTCCAGGTCAAC" ..
               "TGGCCAATTGGCTAGCTAGGATCCATGCATGCGTACGTTAGCAACGTTGGACCTTAAGGCCTTACG"

local seed = 42
local function random(max)
  seed = (seed * 3877 + 29573) % 139968
  return max * seed / 139968
end

local out, nout = {}, 0
local function emit(line) nout = nout + 1; out[nout] = line end

local function repeat_section(header, src, n)
  emit(header)
  local len = #src
  local doubled = src .. src
  local pos = 1
  while n > 0 do
    local w = n < WIDTH and n or WIDTH
    -- repeat the source until one line fits (WIDTH may exceed #src)
    local piece = doubled
    while #piece < pos + w do piece = piece .. src end
    emit(string.sub(piece, pos, pos + w - 1))
    pos = (pos + w - 1) % len + 1
    n = n - w
  end
end

local function random_section(header, weights, n)
  emit(header)
  -- cumulative probabilities
  local chars, cum, acc = {}, {}, 0
  for i = 1, #weights do
    acc = acc + weights[i][2]
    chars[i] = string.byte(weights[i][1])
    cum[i] = acc
  end
  cum[#cum] = 1.0
  local k = #cum
  local buf = {}
  while n > 0 do
    local w = n < WIDTH and n or WIDTH
    for i = 1, w do
      local r = random(1.0)
      local j = 1
      while cum[j] < r and j < k do j = j + 1 end
      buf[i] = chars[j]
    end
    emit(string.char(unpack(buf, 1, w)))
    n = n - w
  end
end

local IUB = {
  { "a", 0.27 }, { "c", 0.12 }, { "g", 0.12 }, { "t", 0.27 },
  { "B", 0.02 }, { "D", 0.02 }, { "H", 0.02 }, { "K", 0.02 }, { "M", 0.02 }, { "N", 0.02 },
  { "R", 0.02 }, { "S", 0.02 }, { "V", 0.02 }, { "W", 0.02 }, { "Y", 0.02 },
}
local PLAIN = { { "a", 0.31 }, { "c", 0.19 }, { "g", 0.2 }, { "t", 0.3 } }

repeat_section(">ONE repeated source", SOURCE, 2 * N)
random_section(">TWO weighted IUB codes", IUB, 3 * N)
random_section(">THREE weighted bases", PLAIN, 5 * N)

-- summary: a hash over all lines, then letter counts via gsub on the text
local h = 0
for i = 1, nout do
  local line = out[i]
  h = (h * 31 + #line * 7 + string.byte(line, 1) + string.byte(line, -1)) % 1000003
end
local text = table.concat(out, "\n")
local counts = {}
for _, c in ipairs({ "a", "c", "g", "t", "A", "C", "G", "T", "N" }) do
  local _, cnt = string.gsub(text, c, c)
  counts[#counts + 1] = string.format("%d", cnt)
end
local letters = #text - (nout - 1) -- minus newlines
local headers = #">ONE repeated source" + #">TWO weighted IUB codes" + #">THREE weighted bases"
if letters - headers ~= 10 * N then
  error(string.format("fasta: %d letters, expected %d", letters - headers, 10 * N))
end

local result = string.format("%d %d %s", nout, h, table.concat(counts, " "))
local expected = {
  [1000] = "171 107174 2277 1321 1314 2427 493 492 507 510 47",
  [600000] = "100003 222857 1415938 785950 816045 1386162 295523 295522 304478 304479 35988",
}
if expected[N] and result ~= expected[N] then
  error("fasta: got " .. result .. ", expected " .. expected[N])
end
io.write("fasta ", result, "\n")
