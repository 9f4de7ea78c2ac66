-- tracejit: --jit-eager
-- ipairs: ITERC calls ipairs' iterator, which the recorder turns into IR (key + 1, array load);
-- ITERL's test on the key ends the loop when t[i+1] is nil.
local t = {}
for i = 1, 40 do t[i] = i * 3 end
local s, n = 0, 0
for i, v in ipairs(t) do
  s = s + v
  n = i
end
print(s, n)
