-- "*l" strips only "\n"; "\r" is kept; files opened in binary mode behave the same on Linux
local name = os.tmpname()
local f = assert(io.open(name, "wb"))
f:write("dos line\r\nunix line\nno newline")
f:close()
f = assert(io.open(name, "rb"))
local l1 = f:read("*l")
print(#l1, l1:byte(-1))
print(f:read("*l"))
print(f:read("*l"))
print(f:read("*l"))
f:close()
local count = 0
for line in io.lines(name) do count = count + #line end
print(count)
os.remove(name)
