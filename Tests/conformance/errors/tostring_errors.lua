-- tostring/tonumber never raise for ordinary values; errors only for missing arguments
print(tostring(nil), tostring(false), tonumber(nil), tonumber(true), tonumber({}))
print(pcall(tostring))
print(pcall(tonumber))
print(select("#", tostring(nil)), select("#", tonumber("x")))
