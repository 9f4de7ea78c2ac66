-- xpcall: the handler receives the error value and its result is returned
print(xpcall(function() return "fine", 2 end, print))
print(xpcall(function() error("bad") end, function(m) return "handled: " .. m end))
print(xpcall(function() error({code = 5}) end, function(e) return "code " .. e.code end))
print(xpcall(function() error(nil) end, function(e) return "got " .. tostring(e) end))
print(xpcall(function() error("x", 0) end, function(e) return e, "extra" end))
-- the handler runs at the point of the error (stack not yet unwound): it can see locals via closures
local where
print(xpcall(function() local t = nil; return t.x end, function(m) where = "in handler"; return m end))
print(where)
-- a runtime error inside the handler
print(xpcall(function() error("first") end, function(m) error("second") end))
-- handler that is not a function
print(pcall(xpcall, function() error("e") end, nil))
print(pcall(xpcall, function() return "no error" end, 42))
-- nested xpcall
print(xpcall(function()
  return xpcall(function() error("inner", 0) end, function(m) return "inner handler: " .. m end)
end, function(m) return "outer handler: " .. m end))
-- handler receives non-string values
print(xpcall(function() error(12) end, function(v) return type(v) .. ":" .. tostring(v) end))
print(xpcall(function() error(true) end, function(v) return type(v) end))
