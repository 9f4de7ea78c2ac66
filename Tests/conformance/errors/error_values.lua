-- error values of every type are passed through pcall unchanged
local ok, e = pcall(error, {code = 1})
print(ok, type(e), e.code)
print(pcall(error, nil))
print(pcall(error))
print(pcall(error, 42))
print(pcall(function() error(42) end))      -- numbers are strings for error(): position added
print(pcall(function() error(42, 0) end))
print(pcall(error, true))
print(pcall(error, false))
local f = function() end
ok, e = pcall(error, f)
print(ok, e == f)
local co = coroutine.create(function() end)
ok, e = pcall(error, co)
print(ok, e == co)
-- a table error keeps its identity
local errobj = {}
ok, e = pcall(function() error(errobj) end)
print(ok, e == errobj)
-- error objects with __tostring
local E = setmetatable({msg = "custom"}, {__tostring = function(s) return "E: " .. s.msg end})
ok, e = pcall(error, E)
print(ok, tostring(e))
-- string errors with level add position only for strings/numbers
print(pcall(function() error("s", 1) end))
print(pcall(function() error({}, 1) end) == false)
