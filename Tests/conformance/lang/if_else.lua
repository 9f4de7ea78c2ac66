-- if / elseif / else chains
local function classify(n)
  if n < 0 then return "negative"
  elseif n == 0 then return "zero"
  elseif n < 10 then return "small"
  elseif n < 100 then return "medium"
  else return "large" end
end
for _, n in ipairs({-5, 0, 3, 42, 1000}) do print(n, classify(n)) end
local function truthy(v) if v then return "T" else return "F" end end
print(truthy(nil), truthy(false), truthy(0), truthy(""), truthy({}), truthy(0/0))
-- nested ifs
local function nested(a, b)
  if a then
    if b then return "ab" else return "a" end
  else
    if b then return "b" end
  end
  return "none"
end
print(nested(1, 1), nested(1, nil), nested(nil, 1), nested(nil, nil))
-- empty branches
if true then else end
if false then elseif false then else end
print("empty ok")
-- conditions with side effects evaluated once
local n = 0
local function tick() n = n + 1; return n end
if tick() == 5 then print("no") elseif tick() == 2 then print("second", n) end
-- long chains
local function grade(s)
  if s >= 90 then return "A" elseif s >= 80 then return "B" elseif s >= 70 then return "C"
  elseif s >= 60 then return "D" else return "F" end
end
local g = {}
for s = 55, 95, 10 do g[#g + 1] = grade(s) end
print(table.concat(g))
