-- tracejit: --jit-eager --jit-param maxabort=2 --jit-param unrollshort=0
-- Abort: "return from the loop's function". The loop finds its key in the second iteration, the
-- first one recorded, and returns from the function that holds the loop.
local function find(t, x)
  for i = 1, #t do
    if t[i] == x then return i end
  end
  return nil
end
local t = { 5, 7, 9, 11 }
print(find(t, 7), find(t, 7), find(t, 7))
