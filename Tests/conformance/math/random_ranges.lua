-- random ranges: every value of a small range appears, bounds respected (properties only)
math.randomseed(123)
local hist = {}
for i = 1, 5000 do local v = math.random(3, 7); hist[v] = (hist[v] or 0) + 1 end
local keys = {}
for k in pairs(hist) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, " "))
local all_reasonable = true
for _, k in ipairs(keys) do if hist[k] < 700 or hist[k] > 1300 then all_reasonable = false end end
print(all_reasonable)
local big_ok = true
for i = 1, 1000 do local v = math.random(1, 2^30); if v < 1 or v > 2^30 or v % 1 ~= 0 then big_ok = false end end
print(big_ok)
local neg_ok = true
for i = 1, 1000 do local v = math.random(-10, -5); if v < -10 or v > -5 then neg_ok = false end end
print(neg_ok)
local sum = 0
for i = 1, 10000 do sum = sum + math.random() end
print(sum > 4500 and sum < 5500)
