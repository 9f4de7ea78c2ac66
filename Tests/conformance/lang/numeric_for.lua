-- numeric for loops: integer and float steps, empty ranges, large bounds
local function run(a, b, c)
  local out = {}
  if c then
    for i = a, b, c do out[#out + 1] = i; if #out > 20 then break end end
  else
    for i = a, b do out[#out + 1] = i; if #out > 20 then break end end
  end
  print(a, b, c, "->", #out, table.concat(out, " "))
end
run(1, 5)
run(5, 1)
run(1, 1)
run(5, 1, -1)
run(1, 5, 2)
run(1, 6, 2)
run(10, 1, -3)
run(0, 1, 0.25)
run(1, 0, 0.25)
run(0, 1, 0.1)
run(1, 0, -0.3)
run(-3, 3, 1.5)
run(2^53 - 4, 2^53 - 1)
run(2^31 - 2, 2^31 + 1)
run(-2^31 - 1, -2^31 + 1)
run(1, math.huge, 2^60)
run(0, -math.huge, -1e300)
run(0.5, 2.5)
run(1, 2.9)
run("1", "3")
run(1, 3, "1")
-- the bounds are evaluated once
local n = 3
local count = 0
for i = 1, n do n = n + 1; count = count + 1 end
print("evaluated once", count, n)
-- the loop variable is local to the loop
local i = "outer"
for i = 1, 2 do end
print(i)
-- errors
print(pcall(function() for i = nil, 1 do end end))
print(pcall(function() for i = 1, {} do end end))
print(pcall(function() for i = 1, 2, "x" do end end))
print(pcall(function() for i = "a", 2 do end end))
