-- generic for: iterator function, state and control variable
local function range(n)
  local i = 0
  return function() i = i + 1; if i <= n then return i end end
end
for i in range(3) do io.write(i, " ") end
print()
-- stateless iterator using state and control
local function iter(t, i)
  i = i + 1
  if t[i] then return i, t[i] end
end
for i, v in iter, {"a", "b", "c"}, 0 do io.write(i, "=", v, " ") end
print()
-- extra values are ignored, missing are nil
for a, b, c in function(_, x) if not x then return 1, 2 end end do print(a, b, c) end
-- the first value nil stops even if others are not
for a, b in function(_, x) if not x then return nil, "ignored" end end do print("never") end
print("stopped")
-- false as the first value does not stop in 5.1? (only nil stops)
local n = 0
for v in function() n = n + 1; if n == 1 then return false end end do print("got", v) end
-- an iterator returning more values than variables
for k in pairs({x = 1}) do print(k) end
-- the explist is adjusted to three values
local function triple() return function(s, c) if c < s then return c + 1 end end, 3, 0 end
for v in triple() do io.write(v, " ") end
print()
-- ipairs stops at the first nil
for i, v in ipairs({1, 2, nil, 4}) do io.write(i, ":", v, " ") end
print()
-- modifying control variable inside the body does not affect iteration
for i, v in ipairs({"p", "q", "r"}) do i = i * 10; io.write(i, v, " ") end
print()
-- nested generic loops
for _, a in ipairs({1, 2}) do for _, b in ipairs({"x", "y"}) do io.write(a, b, " ") end end
print()
-- string.gmatch as iterator
for w in ("one two three"):gmatch("%a+") do io.write("[", w, "]") end
print()
-- calling a non-function iterator
print(pcall(function() for x in 1 do end end))
print(pcall(function() for x in nil do end end))
-- a callable table as iterator
local callable = setmetatable({}, {__call = function(self, s, c) c = c + 1; if c <= 2 then return c end end})
for v in callable, nil, 0 do io.write("c", v, " ") end
print()
