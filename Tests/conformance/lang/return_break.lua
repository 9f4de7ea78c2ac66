-- return and break placement
local function early(x)
  if x then return "early" end
  do return "do-return" end
end
print(early(true), early(false))
local function noval() return end
print(select("#", noval()))
local function semi() return 1; end
print(semi())
local function loopret()
  for i = 1, 10 do
    while true do
      if i == 3 then return "returned at " .. i end
      break
    end
  end
  return "never"
end
print(loopret())
-- break must be the last statement in 5.1, but `do break end` works anywhere
local n = 0
for i = 1, 10 do
  n = i
  if i == 4 then do break end end
end
print(n)
-- return is the last statement: `return` followed by code is a syntax error
print(loadstring("return 1 print(2)"))
print(loadstring("do return end print(2)") ~= nil)
print(loadstring("for i=1,2 do break print(i) end"))
