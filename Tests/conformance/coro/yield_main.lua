-- yielding outside any coroutine is an error
print(pcall(coroutine.yield, 1))
print(pcall(function() coroutine.yield() end))
-- yielding across a C function boundary (string.gsub callback) is an error
local co = coroutine.create(function()
  return string.gsub("abc", "%w", function(c) coroutine.yield(c) end)
end)
print(coroutine.resume(co))
print(coroutine.status(co))
-- table.sort comparator
local co2 = coroutine.create(function()
  table.sort({3, 2, 1}, function(a, b) coroutine.yield(); return a < b end)
end)
print(coroutine.resume(co2))
