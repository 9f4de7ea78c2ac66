-- goto and labels (LuaJIT 2.1 / Lua 5.2 syntax)
-- continue idiom
for i = 1, 6 do
  if i % 2 == 0 then goto continue end
  io.write(i, " ")
  ::continue::
end
print()
-- backward goto loop
local i = 1
::top::
if i <= 3 then
  io.write("it", i, " ")
  i = i + 1
  goto top
end
print()
-- break out of nested loops
for a = 1, 3 do
  for b = 1, 3 do
    if a * b == 4 then
      print("found", a, b)
      goto done
    end
  end
end
::done::
-- continue in while and repeat
local n = 0
while n < 5 do
  n = n + 1
  if n == 3 then goto cont end
  io.write(n, " ")
  ::cont::
end
print()
local m = 0
repeat
  m = m + 1
  if m == 2 then goto cont2 end
  io.write(m, " ")
  ::cont2::
until m >= 4
print()
-- goto jumping forward over a nested block
do
  goto skip
  print("skipped")
  ::skip::
  print("after skip")
end
-- labels at end of block with following empty statements
do
  goto e
  print("no")
  ::e::
end
-- same label name in different functions/blocks
local function f()
  do goto l; ::l:: end
  do goto l; ::l:: end
  return "ok"
end
print(f())
-- goto as a loop with a closure capturing each pass
local fs = {}
do
  local j = 0
  ::loop::
  local captured = j
  fs[#fs + 1] = function() return captured end
  j = j + 1
  if j < 3 then goto loop end
end
print(fs[1](), fs[2](), fs[3]())
-- `goto` is only a keyword-like name in statement position
local t = {goto_ = 1}
print(t.goto_)
