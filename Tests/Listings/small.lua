-- Count how often x occurs in the array t.
local function count(t, x)
  local n = 0
  for i = 1, #t do
    if t[i] == x then n = n + 1 end
  end
  return n
end
local words = {"a", "b", "a"}
print(count(words, "a"), ...)
