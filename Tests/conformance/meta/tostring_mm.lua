-- __tostring is used by tostring and print
local P = {}
P.__tostring = function(p) return "Point(" .. p.x .. ", " .. p.y .. ")" end
local p = setmetatable({x = 1, y = 2}, P)
print(p)
print(tostring(p), type(tostring(p)))
print("concat does not use __tostring:", pcall(function() return "p=" .. p end))
-- __tostring may return a non-string; tostring returns it as is
local n = setmetatable({}, {__tostring = function() return 42 end})
print(tostring(n), type(tostring(n)))
print(n)
-- print requires a string (or number)
local bad = setmetatable({}, {__tostring = function() return {} end})
print(pcall(print, bad))
print(type(tostring(bad)))
-- errors inside __tostring propagate
local err = setmetatable({}, {__tostring = function() error("tostring failed") end})
print(pcall(tostring, err))
-- __tostring on a shared metatable with state
local Counter = {}
Counter.__tostring = function(c) c.n = c.n + 1; return "called " .. c.n end
local c = setmetatable({n = 0}, Counter)
print(c, c, tostring(c))
-- __name is not used in 5.1: a table without __tostring prints as "table: 0x..."
print(tostring(setmetatable({}, {__name = "MyType"})):match("^table: ") ~= nil)
