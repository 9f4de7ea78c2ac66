-- the string metatable: methods via __index, and extending it
local mt = getmetatable("")
print(type(mt), mt.__index == string)
print(("abc"):upper(), ("%d"):format(3))
-- adding functions to the string table makes them available as methods
string.twice = function(s) return s .. s end
print(("ab"):twice())
-- replacing __index with a function
local old = mt.__index
mt.__index = function(s, k)
  if type(k) == "number" then return old.sub(s, k, k) end
  return old[k]
end
local s = "hello"
print(s[1], s[5], s[6], s:len())
mt.__index = old
print(s[1])
-- arithmetic metamethods on strings are not consulted for convertible strings
print("10" + 5)
-- adding __add to the string metatable for non-numeric strings (LuaJIT and 5.1 both consult it)
mt.__add = function(a, b) return "added:" .. tostring(a) .. "+" .. tostring(b) end
print(pcall(function() return "x" + 1 end))
print("10" + 1)
mt.__add = nil
print(pcall(function() return "x" + 1 end))
