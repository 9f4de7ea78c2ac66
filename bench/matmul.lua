-- matmul: dense N x N matrix multiply C = A * B over arrays of rows (tables of
-- tables), row-times-column with the inner loop over k.
-- Measures: float multiply-add, 2-D array indexing, table allocation of rows.
-- Size: N. Entries are multiples of 1/4, so every sum is exact in doubles and
-- the result checks against an independent O(N^2) formula for any N.
local N = tonumber(arg and arg[1]) or 800

local function matrix(n, f)
  local m = {}
  for i = 1, n do
    local row = {}
    for j = 1, n do row[j] = f(i, j) end
    m[i] = row
  end
  return m
end

local function transpose(n, m)
  local t = {}
  for i = 1, n do
    local row = {}
    for j = 1, n do row[j] = m[j][i] end
    t[i] = row
  end
  return t
end

local function mul(n, a, b)
  local bt = transpose(n, b)
  local c = {}
  for i = 1, n do
    local ai, ci = a[i], {}
    for j = 1, n do
      local bj = bt[j]
      local s = 0
      for k = 1, n do s = s + ai[k] * bj[k] end
      ci[j] = s
    end
    c[i] = ci
  end
  return c
end

local a = matrix(N, function(i, j) return ((i * 7 + j * 3) % 17 - 8) * 0.25 end)
local b = matrix(N, function(i, j) return ((i * 5 + j * 11) % 13 - 6) * 0.5 end)
local c = mul(N, a, b)

-- checksums: the sum of all entries, and a position-weighted sum modulo a prime
local total, weighted = 0, 0
for i = 1, N do
  local ci = c[i]
  for j = 1, N do
    total = total + ci[j]
    weighted = (weighted + (ci[j] * 8) % 65521 * ((i + 2 * j) % 101)) % 1000003
  end
end

-- independent check: sum(C) = sum_k colsum(A, k) * rowsum(B, k)
local check = 0
for k = 1, N do
  local ca, rb = 0, 0
  for i = 1, N do ca = ca + a[i][k]; rb = rb + b[k][i] end
  check = check + ca * rb
end
if check ~= total then
  error(string.format("matmul: sum %.4f differs from column/row formula %.4f", total, check))
end

local result = string.format("%.4f %d", total, weighted)
local expected = { [40] = "3.5000 439693", [300] = "-24.2500 567206", [800] = "-7.0000 357787" }
if expected[N] and result ~= expected[N] then
  error("matmul: got " .. result .. ", expected " .. expected[N])
end
io.write("matmul ", result, "\n")
