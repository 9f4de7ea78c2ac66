-- every loop iteration gets fresh locals; closures capture per-iteration copies
local fs = {}
for i = 1, 3 do fs[#fs + 1] = function() return i end end
for _, v in ipairs({"a", "b", "c"}) do fs[#fs + 1] = function() return v end end
for k, v in pairs({10}) do fs[#fs + 1] = function() return k .. "=" .. v end end
local j = 0
while j < 3 do
  j = j + 1
  local w = j * 10
  fs[#fs + 1] = function() return w end
end
repeat
  local r = "rep"
  fs[#fs + 1] = function() r = r .. "!"; return r end
until true
local out = {}
for i, f in ipairs(fs) do out[i] = tostring(f()) end
print(table.concat(out, " "))
-- a closure modifying its per-iteration variable does not affect others
local gs = {}
for i = 1, 3 do
  local x = i
  gs[i] = {get = function() return x end, set = function(v) x = v end}
end
gs[2].set(99)
print(gs[1].get(), gs[2].get(), gs[3].get())
-- loop variable modified in body: copy only (the loop continues normally)
local seen = {}
for i = 1, 5 do
  seen[#seen + 1] = i
  i = i * 100
  seen[#seen + 1] = i
end
print(table.concat(seen, ","))
-- closures in nested loops
local grid = {}
for a = 1, 2 do
  for b = 1, 2 do
    grid[#grid + 1] = function() return a * 10 + b end
  end
end
for _, g in ipairs(grid) do io.write(g(), " ") end
print()
-- closure capturing the loop variable of a generic for with multiple vars
local hs = {}
for k, v in ipairs({"x", "y"}) do
  hs[k] = function() k = k + 1; return k, v end
end
print(hs[1]()); print(hs[1]()); print(hs[2]())
