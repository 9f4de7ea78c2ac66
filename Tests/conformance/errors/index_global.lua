-- indexing nil globals names the global
print(select(2, pcall(function() return undefined_thing.x end)))
print(select(2, pcall(function() undefined_thing.x = 1 end)))
print(select(2, pcall(function() return undefined_thing[1] end)))
some_number = 3
print(select(2, pcall(function() return some_number.x end)))
print(select(2, pcall(function() return some_number:method() end)))
print(select(2, pcall(function() return string.nope.x end)))
