-- type() of every kind of value
local values = {nil, true, 0, "", {}, print, function() end, coroutine.create(function() end), newproxy()}
local names = {}
for i = 1, 9 do names[i] = type(values[i]) end
print(table.concat(names, " "))
print(type(type), type(type(nil)))
print(pcall(type))
print(type(nil) == "nil", type(1) == "number")
