-- mandelbrot: escape-time iteration over an N x N grid of the complex plane
-- [-1.5, 0.5] x [-1, 1], at most 50 iterations, bailout |z|^2 > 4.
-- Measures: float arithmetic and compares in a tight inner loop, loop exits.
-- Size: grid side N. Result: points inside the set and a checksum of the
-- escape iteration counts of the others.
local N = tonumber(arg and arg[1]) or 3000
local ITER = 50

local inside, escsum = 0, 0
for y = 0, N - 1 do
  local ci = 2 * y / N - 1
  for x = 0, N - 1 do
    local cr = 2 * x / N - 1.5
    local zr, zi, zr2, zi2 = 0, 0, 0, 0
    local k = 0
    while k < ITER do
      zi = 2 * zr * zi + ci
      zr = zr2 - zi2 + cr
      zr2 = zr * zr
      zi2 = zi * zi
      k = k + 1
      if zr2 + zi2 > 4 then break end
    end
    if zr2 + zi2 > 4 then
      escsum = (escsum + k * (x % 7 + 1)) % 1000003
    else
      inside = inside + 1
    end
  end
end

local result = string.format("%d %d", inside, escsum)
local expected = { [64] = "1626 75359", [1000] = "396940 216952", [3000] = "3572354 52462" }
if expected[N] then
  if result ~= expected[N] then error("mandelbrot: got " .. result .. ", expected " .. expected[N]) end
elseif inside < 0 or inside > N * N or (N >= 100 and (inside * 4 < 1.4 * N * N or inside * 4 > 1.8 * N * N)) then
  error("mandelbrot: impossible count " .. result)
end
io.write("mandelbrot ", result, "\n")
