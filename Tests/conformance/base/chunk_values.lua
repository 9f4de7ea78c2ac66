-- loaded chunks return values, take varargs, and keep their own locals
local f = loadstring("local x = ... or 10; counter = (counter or 0) + 1; return x * 2, counter")
print(f())
print(f(21))
print(counter)
local g = loadstring("local k = ... return function(a) return a + k end")
print(g(5)(1))
local chunks = {}
for i = 1, 3 do chunks[i] = loadstring("return " .. i .. " * 100") end
print(chunks[1](), chunks[2](), chunks[3]())
print(loadstring("return")())
print(select("#", loadstring("return nil, nil")()))
local h = loadstring("local t = {...}; return #t, select('#', ...)")
print(h(1, 2, 3))
