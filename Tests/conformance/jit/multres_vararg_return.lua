-- a side trace from a loop inside a vararg function ending at `return ...` / `return g(...)`
local function g(...) return select("#", ...) end
local function f(...)
  local s = 0
  for i = 1, 3 do s = s + i end
  return g(...)
end
local function h(...)
  local s = 0
  for i = 1, 3 do s = s + i end
  return s, ...
end
local acc = 0
for k = 1, 30 do
  acc = acc + f(k, k, k) + select("#", h(k, k)) + #{h(k)}
end
print(acc)
