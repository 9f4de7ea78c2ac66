-- comparisons are not chained: 1 < 2 < 3 compares a boolean with a number
print(pcall(function() return 1 < 2 < 3 end))
print(1 < 2 == true, (1 < 2) == (2 < 3))
print(pcall(function() return 1 == 1 == 1 end))
print("a" == "a" == true)
