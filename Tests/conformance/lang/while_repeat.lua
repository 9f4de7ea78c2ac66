-- while and repeat loops
local i = 0
while i < 5 do i = i + 1 end
print(i)
while false do print("never") end
local n = 0
while true do n = n + 1; if n >= 7 then break end end
print(n)
-- repeat body runs at least once
local r = 0
repeat r = r + 1 until true
print(r)
-- until sees locals of the body
local k = 0
repeat
  local done = k >= 3
  k = k + 1
until done
print(k)
-- nested break only leaves the inner loop
local out = {}
for a = 1, 3 do
  local b = 0
  while true do
    b = b + 1
    if b > a then break end
    out[#out + 1] = a .. b
  end
end
print(table.concat(out, " "))
-- repeat with closure in until
local fs = {}
local c = 0
repeat
  c = c + 1
  local v = c
  fs[c] = function() return v end
until fs[c]() >= 3
print(#fs, fs[1](), fs[3]())
-- condition values: only nil and false are false
local vals = {0, "", "0", {}, false}
for idx = 1, 5 do
  local v = vals[idx]
  local ran = false
  while v do ran = true; break end
  io.write(tostring(ran), " ")
end
print()
-- break in repeat
local x = 0
repeat x = x + 1; if x == 4 then break end until false
print(x)
