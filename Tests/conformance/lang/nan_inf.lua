-- inf and nan behaviour
local inf, nan = math.huge, 0/0
print(inf, -inf, inf + 1, inf - inf ~= inf - inf, inf * 0 ~= inf * 0)
print(nan == nan, nan ~= nan, nan < nan, nan > 1, nan <= nan, 1 < nan)
print(inf > 1e308, -inf < -1e308, inf == inf, inf == -(-inf))
print(1 / inf, -1 / inf, 1 / (-1 / inf))
print(math.max(1, inf), math.min(-inf, 1))
local t = {}
print(pcall(function() t[nan] = 1 end))
print(t[nan])
t[inf] = "inf"
print(t[inf], t[1/0])
print(math.floor(inf), math.ceil(-inf))
