-- __call makes tables callable; the table is passed first
local callable = setmetatable({name = "C"}, {__call = function(self, a, b) return self.name, a, b end})
print(callable(1, 2))
print(callable())
print(pcall(callable, "via pcall"))
-- as a method (obj:method where the field is callable)
local obj = {m = callable}
print(select(2, obj:m("arg")) == obj, select(3, obj:m("arg")))
-- varargs and multiple returns through __call
local va = setmetatable({}, {__call = function(_, ...) return select("#", ...), ... end})
print(va(nil, nil, 3))
-- __call in generic for and in metamethod positions
local ctr = setmetatable({n = 0}, {__call = function(self) self.n = self.n + 1; if self.n <= 3 then return self.n end end})
for v in ctr do io.write(v, " ") end
print()
-- table.sort requires a real function as comparator
local cmp = setmetatable({}, {__call = function(_, a, b) return a > b end})
print(pcall(table.sort, {3, 1, 2}, cmp))
-- string.gsub with a callable table as replacement is treated as a table (lookup)
print((string.gsub("abc", "%w", setmetatable({}, {__index = function(_, k) return k:upper() end}))))
-- calling a table without __call
print(pcall(function() local t = {} t() end))
-- __call that is not a function
print(pcall(function() local t = setmetatable({}, {__call = 5}) t() end))
-- callable used as __index function? (__index must be function or table; a callable table is indexed)
local idx = setmetatable({}, {__index = setmetatable({z = "from table"}, {__call = function() return "called" end})})
print(idx.z)
