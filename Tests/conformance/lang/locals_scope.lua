-- local declarations, shadowing, do-blocks, `local x = x`
x = "global"
print(x)
local x = "outer"
print(x)
do
  local x = "inner"
  print(x)
  do
    local x = x .. "+"
    print(x)
  end
  print(x)
end
print(x)
local a, b, c = 1, 2
print(a, b, c)
local d, e = (function() return 10, 20, 30 end)()
print(d, e)
local f
print(f)
local g, h = nil, false
print(g, h)
-- a local shadows itself after its declaration only
local y = 5
local y = y * 2
print(y)
-- global still reachable through _G
print(_G.x)
-- locals in nested functions
local function outer()
  local v = 1
  local function inner()
    local v = v + 1
    return v
  end
  return inner(), v
end
print(outer())
-- many locals in one scope
local l1, l2, l3, l4, l5, l6, l7, l8, l9, l10 = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
print(l1 + l2 + l3 + l4 + l5 + l6 + l7 + l8 + l9 + l10)
