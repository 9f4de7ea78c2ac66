-- loadstring / load compile chunks; syntax errors return nil, msg
local f = loadstring("return 1 + 2")
print(type(f), f())
print(loadstring("return ...", "=varargs")(7, 8))
f = loadstring("local a, b = ... return b, a")
print(f(1, 2))
print(loadstring("syntax error here"))
print(loadstring("x = ", "=named"))
print(loadstring("return 'unfinished"))
print(type(loadstring("")))
print(loadstring("")())
-- load with a function reader, returning pieces then nil
local chunks = {"return ", "'from", " reader'"}
local i = 0
f = load(function() i = i + 1 return chunks[i] end)
print(f())
-- a reader returning empty string ends the chunk
f = load(function() return "" end)
print(type(f))
-- chunks see globals
gvalue = 99
print(loadstring("return gvalue")())
-- each loadstring makes a new function
local a, b = loadstring("return 1"), loadstring("return 1")
print(a == b)
-- chunks are vararg functions
print(loadstring("return select('#', ...)")(1, nil, nil))

