-- an uncaught runtime error: stdout so far is kept, exit status 1, message on stderr
print("before the error")
local t = nil
print(t.field)
print("never printed")
