-- an ASCII Mandelbrot set (floating-point heavy inner loop)
local W, H, MAXIT = 60, 24, 60
local chars = " .:-=+*#%@"
local total = 0
for y = 0, H - 1 do
  local ci = (y / H) * 2.4 - 1.2
  local row = {}
  for x = 0, W - 1 do
    local cr = (x / W) * 3.2 - 2.2
    local zr, zi, it = 0.0, 0.0, 0
    while it < MAXIT and zr * zr + zi * zi <= 4.0 do
      zr, zi = zr * zr - zi * zi + cr, 2 * zr * zi + ci
      it = it + 1
    end
    total = total + it
    local idx = (it == MAXIT) and #chars or (it % (#chars - 1)) + 1
    row[#row + 1] = chars:sub(idx, idx)
  end
  print(table.concat(row))
end
print("total iterations", total)
