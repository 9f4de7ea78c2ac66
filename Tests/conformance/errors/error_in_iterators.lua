-- errors raised inside iterators, comparators and callbacks
print(pcall(function() for k in pairs(nil) do end end))
print(pcall(function() for i, v in ipairs() do end end))
print(pcall(function()
  local function it() error("iterator failed") end
  for x in it do end
end))
print(pcall(table.sort, {3, 1, 2}, function(a, b) error("cmp failed", 0) end))
print(pcall(string.gsub, "abc", "%w", function(c) if c == "b" then error("cb failed", 0) end end))
print(pcall(function() for i = 1, 3 do if i == 2 then error("loop error at " .. i, 0) end end end))
-- next with an invalid key
print(pcall(next, {a = 1}, "zzz"))
