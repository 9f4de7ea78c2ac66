-- metatables on the table: __index and __len
local base = {10, 20, 30, 40}
local t = setmetatable({}, {__index = function(_, i) return i * 2 end, __len = function() return 4 end})
local u = setmetatable({}, {__index = base})
local s = 0
for k = 1, 200 do
  for i = 1, #t do s = s + t[i] end
  for i = 1, 4 do s = s + u[i] end
  if k == 100 then u[2] = 7 end
  if k == 150 then setmetatable(u, {__index = function() return 1 end}) end
end
print(s)
