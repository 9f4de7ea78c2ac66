-- spectral-norm: the largest singular value of the infinite matrix
-- A(i,j) = 1/((i+j)(i+j+1)/2 + i + 1), by power iteration on A^T A.
-- Measures: float arithmetic in tight nested loops, array reads and writes, calls.
-- Size: the matrix order.
local N = tonumber(arg and arg[1]) or 3000

local function A(i, j)
  local ij = i + j
  return 1.0 / (ij * (ij + 1) * 0.5 + i + 1)
end

-- y = A * x (0-based indices stored in 1-based arrays)
local function mul_Av(n, x, y)
  for i = 0, n - 1 do
    local s = 0
    for j = 0, n - 1 do s = s + A(i, j) * x[j + 1] end
    y[i + 1] = s
  end
end

-- y = A^T * x
local function mul_Atv(n, x, y)
  for i = 0, n - 1 do
    local s = 0
    for j = 0, n - 1 do s = s + A(j, i) * x[j + 1] end
    y[i + 1] = s
  end
end

local function mul_AtAv(n, x, y, tmp)
  mul_Av(n, x, tmp)
  mul_Atv(n, tmp, y)
end

local u, v, t = {}, {}, {}
for i = 1, N do u[i] = 1; v[i] = 0; t[i] = 0 end
for _ = 1, 10 do
  mul_AtAv(N, u, v, t)
  mul_AtAv(N, v, u, t)
end
local vBv, vv = 0, 0
for i = 1, N do
  local ui, vi = u[i], v[i]
  vBv = vBv + ui * vi
  vv = vv + vi * vi
end
local norm = math.sqrt(vBv / vv)

local result = string.format("%.9f", norm)
local expected = { [100] = "1.274219991", [1000] = "1.274224148", [3000] = "1.274224153" }
if expected[N] then
  if result ~= expected[N] then error("spectral_norm: got " .. result .. ", expected " .. expected[N]) end
elseif N >= 10 and (norm < 1.2742 or norm > 1.2743) then
  error("spectral_norm: implausible norm " .. result)
end
io.write("spectral_norm ", result, "\n")
