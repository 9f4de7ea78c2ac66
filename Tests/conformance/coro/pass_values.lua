-- values flow both ways; counts are preserved including nils
local co = coroutine.create(function(...)
  print("args", select("#", ...), ...)
  local r = {coroutine.yield()}
  print("resumed with", #r, r[1], r[2])
  print("resumed with n", select("#", coroutine.yield(nil, nil)))
  return
end)
print(coroutine.resume(co, nil, 2, nil))
print(coroutine.resume(co, "a", "b"))
print(select("#", coroutine.resume(co, nil, nil, nil)))
print(coroutine.status(co))
-- yielding many values
local many = coroutine.create(function() coroutine.yield(1, 2, 3, 4, 5, 6, 7, 8, 9, 10) end)
print(coroutine.resume(many))
-- returning many values
local ret = coroutine.wrap(function() return unpack({1, 2, 3, nil, 5}, 1, 5) end)
print(ret())
