-- table key normalization and kinds of keys
local t = {}
t[1] = "int"; t[1.0] = "float one"
print(t[1])
t[2^53] = "big"
print(t[2^53], t[2^53 + 1])
t["1"] = "string one"
print(t[1], t["1"])
t[true] = "T"; t[false] = "F"
print(t[true], t[false])
local k1, k2 = {}, {}
t[k1] = "k1"; t[k2] = "k2"
print(t[k1], t[k2])
local f = function() end
t[f] = "fn"
print(t[f])
t[-0] = "minus zero"
print(t[0])
t[0.5] = "half"
print(t[0.5], t[1/2])
t[1e100] = "huge"
print(t[1e100])
t[math.huge] = "inf"; t[-math.huge] = "-inf"
print(t[math.huge], t[-math.huge])
-- reading nil and NaN keys returns nil; writing is an error
print(t[nil], t[0/0])
print(pcall(function() t[nil] = 1 end))
print(pcall(function() t[0/0] = 1 end))
-- rawset with nil key
print(pcall(rawset, t, nil, 1))
-- removing keys
t[1] = nil
print(t[1])
-- string keys equal by value
local a = "ab" .. "c"
local b = "a" .. "bc"
t[a] = "abc"
print(t[b])
-- large sparse and negative integer keys
local s = {}
s[-1] = "m1"; s[1000000] = "mil"; s[0] = "zero"
print(s[-1], s[1000000], s[0], #s)
-- counting keys with pairs
local n = 0
for _ in pairs({1, 2, 3, x = 1, y = 2, [10] = 3}) do n = n + 1 end
print(n)
