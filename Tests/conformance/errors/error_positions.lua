-- the line reported for errors in multi-line statements and nested calls
local function try(f) print(select(2, pcall(f))) end
try(function()
  local t = {
    a = 1,
    b = nil,
  }
  return t.b.c
end)
try(function()
  local x = 1 +
    2 +
    nil
  return x
end)
try(function()
  return ("a"):rep(3)
    .. {}
end)
try(function()
  local f
  f(
    1,
    2
  )
end)
try(function()
  local t = {}
  t.x
    .y = 1
end)
