for i = 1, 3 do io.write(i, " ") end print()
for i = 3, 1, -1 do io.write(i, " ") end print()
for i = 1, 0 do print("never") end
for i = 0, 1, 0.25 do io.write(i, " ") end print()
for i = "1", "3" do io.write(i, " ") end print()
for i = 1, 3 do local j = i; i = i * 10; io.write(i, ":", j, " ") end print()
local t = {10, 20, 30, nil, 50}
for i, v in ipairs(t) do io.write(i, "=", v, " ") end print()
local keys = {}
for k, v in pairs({a = 1, b = 2, c = 3, 1, 2}) do keys[#keys + 1] = tostring(k) .. "=" .. tostring(v) end
table_sort = nil
-- simple insertion sort (no table library yet)
for i = 2, #keys do local v = keys[i]; local j = i - 1; while j >= 1 and keys[j] > v do keys[j + 1] = keys[j]; j = j - 1 end; keys[j + 1] = v end
print(#keys, keys[1], keys[2], keys[3], keys[4], keys[5])
local n = 0
while true do n = n + 1; if n > 5 then break end end
print(n)
repeat n = n - 1 until n == 0
print(n)
for i = 1, 3 do for j = 1, 3 do if j == 2 then break end io.write(i, j, " ") end end print()
local i = 1
::top::
if i <= 3 then io.write("g", i, " "); i = i + 1; goto top end
print()
-- next directly
local nt = {x = 1}
print(next(nt), next(nt, "x"), next({}))
print(pcall(next, nt, "nokey"))
-- custom iterator
local function range(n) local i = 0 return function() i = i + 1; if i <= n then return i end end end
local s = 0
for v in range(100) do s = s + v end
print(s)
-- stateless iterator with state and control
local function iter(st, c) if c < st then return c + 1, c * 2 end end
for a, b in iter, 3, 0 do io.write(a, "/", b, " ") end print()
-- large loop counts and float accumulation
local acc = 0
for k = 1, 100000 do acc = acc + k % 7 end
print(acc)
