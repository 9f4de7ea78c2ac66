-- upvalues are closed when their scope is left by break, goto, return or error
local fs = {}
for i = 1, 10 do
  local v = i * 2
  fs[#fs + 1] = function() return v end
  if i == 3 then break end
end
print(#fs, fs[1](), fs[2](), fs[3]())
-- goto out of a block
local gs = {}
do
  local k = 0
  ::again::
  k = k + 1
  local captured = k
  gs[k] = function() return captured end
  if k < 3 then goto again end
end
print(gs[1](), gs[2](), gs[3]())
-- return from inside nested blocks
local function make()
  local list = {}
  for i = 1, 3 do
    local x = "v" .. i
    list[i] = function() return x end
    if i == 2 then return list end
  end
end
local l = make()
print(#l, l[1](), l[2]())
-- an upvalue closed by error still works
local saved
pcall(function()
  local secret = "kept"
  saved = function() return secret end
  error("boom")
end)
print(saved())
-- while loop with break
local ws = {}
local n = 0
while true do
  n = n + 1
  local m = n
  ws[n] = function() m = m + 100; return m end
  if n == 2 then break end
end
print(ws[1](), ws[1](), ws[2]())
-- closure survives after the creating coroutine finishes
local co = coroutine.wrap(function()
  local z = "in-coroutine"
  coroutine.yield(function() return z end)
end)
print(co()())
