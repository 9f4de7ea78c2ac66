-- Conway's game of life on a torus and the eight queens puzzle
local W, H = 12, 8
local function new_grid() local g = {} for y = 1, H do g[y] = {} for x = 1, W do g[y][x] = false end end return g end
local g = new_grid()
for _, p in ipairs({{2, 1}, {3, 2}, {1, 3}, {2, 3}, {3, 3}}) do g[p[2]][p[1]] = true end    -- glider
g[6][9], g[6][10], g[6][11] = true, true, true                                              -- blinker
local function step(g)
  local n = new_grid()
  for y = 1, H do for x = 1, W do
    local c = 0
    for dy = -1, 1 do for dx = -1, 1 do
      if not (dx == 0 and dy == 0) and g[(y + dy - 1) % H + 1][(x + dx - 1) % W + 1] then c = c + 1 end
    end end
    n[y][x] = (c == 3) or (g[y][x] and c == 2)
  end end
  return n
end
local function show(g)
  for y = 1, H do local row = {} for x = 1, W do row[x] = g[y][x] and "#" or "." end print(table.concat(row)) end
end
show(g)
for gen = 1, 4 do g = step(g) end
print("after 4 generations:")
show(g)
for gen = 1, 44 do g = step(g) end
local alive = 0
for y = 1, H do for x = 1, W do if g[y][x] then alive = alive + 1 end end end
print("alive after 48:", alive)

local function queens(n)
  local cols, d1, d2, sol, count, first = {}, {}, {}, {}, 0, nil
  local function place(r)
    if r > n then
      count = count + 1
      if not first then first = {unpack(sol)} end
      return
    end
    for c = 1, n do
      if not cols[c] and not d1[r + c] and not d2[r - c + n] then
        cols[c], d1[r + c], d2[r - c + n] = true, true, true
        sol[r] = c
        place(r + 1)
        cols[c], d1[r + c], d2[r - c + n] = nil, nil, nil
      end
    end
  end
  place(1)
  return count, first
end
for n = 4, 8 do
  local count, first = queens(n)
  print(n, count, table.concat(first, ","))
end
