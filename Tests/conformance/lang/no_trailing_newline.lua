print("no trailing newline")
local x = 1 + 1 print(x)