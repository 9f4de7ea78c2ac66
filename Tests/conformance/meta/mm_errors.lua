-- errors raised inside metamethods propagate to the caller
local t = setmetatable({}, {
  __index = function(_, k) error("no field " .. k) end,
  __newindex = function(_, k) error("cannot set " .. k, 2) end,
  __add = function() error({code = 42}) end,
  __call = function() error("call failed", 0) end,
})
print(pcall(function() return t.foo end))
print(pcall(function() t.bar = 1 end))
local ok, e = pcall(function() return t + 1 end)
print(ok, type(e), e.code)
print(pcall(t))
-- pcall inside a metamethod
local safe = setmetatable({}, {__index = function(_, k)
  local ok2, err = pcall(error, "inner " .. k, 0)
  return err
end})
print(safe.x)
-- error in __tostring through print
local bad = setmetatable({}, {__tostring = function() error("bad tostring", 0) end})
print(pcall(print, bad))
-- error in __eq / __lt / __concat
local mt = {__eq = function() error("eq err", 0) end, __lt = function() error("lt err", 0) end, __concat = function() error("cc err", 0) end}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
print(pcall(function() return a == b end))
print(pcall(function() return a < b end))
print(pcall(function() return a .. b end))
