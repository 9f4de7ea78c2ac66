-- life: Conway's game of life on an N x N torus, seeded from a linear
-- congruential generator, run for 4N generations with two row-of-rows
-- buffers; the final board is rendered to strings (one per row) and hashed.
-- Measures: 2-D array reads with wrap-around index arithmetic, branchy
-- neighbour counting, table.concat of rendered rows.
-- Size: N (board side).
local N = tonumber(arg and arg[1]) or 260
local GENERATIONS = 4 * N

local seed = 31337
local function rand(n)
  seed = (seed * 16807) % 2147483647
  return seed % n
end

local function board()
  local b = {}
  for y = 1, N do
    local row = {}
    for x = 1, N do row[x] = 0 end
    b[y] = row
  end
  return b
end

local cur, nxt = board(), board()
for y = 1, N do
  local row = cur[y]
  for x = 1, N do
    if rand(100) < 35 then row[x] = 1 end
  end
end

local function step(src, dst)
  local alive = 0
  for y = 1, N do
    local up, row, down = src[(y - 2) % N + 1], src[y], src[y % N + 1]
    local out = dst[y]
    for x = 1, N do
      local l, r = (x - 2) % N + 1, x % N + 1
      local n = up[l] + up[x] + up[r] + row[l] + row[r] + down[l] + down[x] + down[r]
      local v = 0
      if n == 3 or (n == 2 and row[x] == 1) then v = 1; alive = alive + 1 end
      out[x] = v
    end
  end
  return alive
end

local history = 0
for g = 1, GENERATIONS do
  local alive = step(cur, nxt)
  cur, nxt = nxt, cur
  history = (history * 7 + alive) % 1000003
end

-- render and hash the final board
local GLYPH = { [0] = ".", [1] = "#" }
local lines, cells = {}, {}
for y = 1, N do
  local row = cur[y]
  for x = 1, N do cells[x] = GLYPH[row[x]] end
  lines[y] = table.concat(cells, "", 1, N)
end
local picture = table.concat(lines, "\n")
local h, live = 0, 0
for y = 1, N do
  local line = lines[y]
  local _, count = string.gsub(line, "#", "#")
  live = live + count
  h = (h * 131 + count * 7 + (string.find(line, "#", 1, true) or 0)) % 1000003
end
if #picture ~= N * (N + 1) - 1 then error("life: rendered picture has the wrong size") end

local result = string.format("%d %d %d", live, history, h)
local expected = { [24] = "56 967328 563506", [200] = "1469 524155 808781", [260] = "4114 100070 592774" }
if expected[N] and result ~= expected[N] then
  error("life: got " .. result .. ", expected " .. expected[N])
end
io.write("life ", result, "\n")
