-- nested 3x3 short loops, stencil-style
local g = {}
for i = 1, 5 do g[i] = {} for j = 1, 5 do g[i][j] = (i * 7 + j * 3) % 5 end end
local s = 0
for k = 1, 100 do
  for x = 2, 4 do
    for y = 2, 4 do
      local c = 0
      for dx = -1, 1 do
        for dy = -1, 1 do
          c = c + g[x + dx][y + dy]
        end
      end
      s = s + c
    end
  end
  g[(k % 5) + 1][(k % 3) + 1] = k % 4
end
print(s)
