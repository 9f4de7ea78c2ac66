-- ipairs and pairs
local t = {"a", "b", "c", x = 1, y = 2, [10] = "ten"}
for i, v in ipairs(t) do io.write(i, "=", v, " ") end
print()
local keys = {}
for k, v in pairs(t) do keys[#keys + 1] = tostring(k) .. "=" .. tostring(v) end
table.sort(keys)
print(table.concat(keys, " "))
-- ipairs stops at the first nil
for i, v in ipairs({1, 2, nil, 4}) do io.write(i, " ") end
print()
-- ipairs returns three values
local f, s, c = ipairs(t)
print(type(f), s == t, c)
print(f(t, 0), f(t, 3))
-- pairs returns next
local pf, ps, pc = pairs(t)
print(pf == next, ps == t, pc)
-- pairs on an empty table
local n = 0
for _ in pairs({}) do n = n + 1 end
print(n)
-- ipairs does not use __index in 5.1
local proxy = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 10 end end})
local cnt = 0
for _ in ipairs(proxy) do cnt = cnt + 1 end
print("ipairs over __index proxy", cnt)
-- the number of pairs equals number of keys
local big = {}
for i = 1, 100 do big[i] = i; big["k" .. i] = i end
n = 0
for _ in pairs(big) do n = n + 1 end
print(n)
