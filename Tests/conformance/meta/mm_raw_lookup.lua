-- metamethods are read from the metatable raw: inheritance through __index on the metatable does not apply
local base_mt = {__add = function() return "added" end}
local mt = setmetatable({}, {__index = base_mt})
local t = setmetatable({}, mt)
print(mt.__add ~= nil, pcall(function() return t + 1 end))
-- __index itself is raw too
local mt2 = setmetatable({}, {__index = {__index = {x = "through"}}})
local t2 = setmetatable({}, mt2)
print(t2.x)
-- setting a metamethod after setmetatable works
local mt3 = {}
local t3 = setmetatable({}, mt3)
print(pcall(function() return t3 .. "" end))
mt3.__concat = function() return "now works" end
print(t3 .. "")
-- removing it again
mt3.__concat = nil
print(pcall(function() return t3 .. "" end))
-- a metatable can be its own metatable
local selfmt = {}
selfmt.__index = function(_, k) return "self:" .. k end
setmetatable(selfmt, selfmt)
print(selfmt.anything)
