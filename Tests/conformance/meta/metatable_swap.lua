-- replacing metatables at run time changes behaviour immediately
local A = {__index = {kind = "A"}, __tostring = function() return "is A" end}
local B = {__index = {kind = "B"}, __tostring = function() return "is B" end}
local o = setmetatable({}, A)
print(o.kind, tostring(o))
setmetatable(o, B)
print(o.kind, tostring(o))
setmetatable(o, nil)
print(o.kind, tostring(o):match("^table:") ~= nil)
-- many objects sharing one metatable see a change to it
local shared = {__index = {v = 1}}
local objs = {}
for i = 1, 5 do objs[i] = setmetatable({}, shared) end
shared.__index = {v = 2}
local sum = 0
for i = 1, 5 do sum = sum + objs[i].v end
print(sum)
-- a metatable can be shared by a table and used as a plain table at the same time
shared.extra = "data"
print(objs[1].extra, shared.extra)
