-- metamethods called from hot loops
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end
V.__eq = function(a, b) return a.x == b.x end
V.__lt = function(a, b) return a.x < b.x end
function V.new(x) return setmetatable({x = x}, V) end
function V:get() return self.x end
local acc = V.new(0)
local one = V.new(1)
for i = 1, 100000 do acc = acc + one end
print(acc:get())
local lt = 0
for i = 1, 50000 do if V.new(i % 10) < V.new(5) then lt = lt + 1 end end
print(lt)
local eq = 0
for i = 1, 50000 do if V.new(i % 3) == V.new(0) then eq = eq + 1 end end
print(eq)
local defaults = setmetatable({}, {__index = function(_, k) return k * 2 end})
local s = 0
for i = 1, 100000 do s = s + defaults[i] end
print(s)
local base = {val = 3}
local derived = setmetatable({}, {__index = base})
local d = 0
for i = 1, 100000 do d = d + derived.val end
print(d)
local sink = {}
local w = setmetatable({}, {__newindex = function(_, k, v) sink[k] = v end})
for i = 1, 10000 do w[i] = i end
print(#sink, rawget(w, 1))
local callable = setmetatable({}, {__call = function(_, a) return a + 1 end})
local c = 0
for i = 1, 100000 do c = callable(c) end
print(c)
