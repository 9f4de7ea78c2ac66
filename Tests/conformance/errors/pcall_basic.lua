-- pcall returns true plus results, or false plus the error
print(pcall(function() return 1, 2, 3 end))
print(pcall(function() end))
print(select("#", pcall(function() end)))
print(pcall(function(...) return select("#", ...) end, nil, nil))
print(pcall(error, "msg"))
print(pcall(pcall))
print(pcall(pcall, error, "inner"))
print(pcall(nil))
print(pcall({}))
print(pcall(print, "pcall(print)"))
-- nested pcalls
print(pcall(function()
  local ok, e = pcall(function() error("inner", 0) end)
  error("outer saw " .. e, 0)
end))
-- the state is consistent after an error
local t = {}
for i = 1, 3 do
  local ok = pcall(function() t[#t + 1] = i; if i == 2 then error("x") end; t[#t + 1] = -i end)
  t[#t + 1] = ok and "ok" or "err"
end
print(table.concat(t, " "))
-- pcall returning many values
print(pcall(unpack, {1, 2, 3, 4, 5}))
