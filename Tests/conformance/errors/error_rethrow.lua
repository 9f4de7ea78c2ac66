-- catching, inspecting and rethrowing errors
local function risky(n)
  if n == 1 then error("string error") end
  if n == 2 then error({kind = "table"}) end
  if n == 3 then local x = nil; return x.y end
  return "ok"
end
for n = 1, 4 do
  local ok, e = pcall(risky, n)
  if ok then print("ok", e)
  elseif type(e) == "table" then print("table error", e.kind)
  else print("string error", e) end
end
-- rethrow keeps the original message (level 0 avoids a second position prefix)
local ok, e = pcall(function()
  local ok2, e2 = pcall(risky, 1)
  if not ok2 then error(e2, 0) end
end)
print(ok, e)
-- rethrow with default level adds another prefix
ok, e = pcall(function()
  local ok2, e2 = pcall(risky, 1)
  if not ok2 then error(e2) end
end)
print(ok, e)
-- a try/catch/finally helper
local function try(body, catch, finally)
  local r = {pcall(body)}
  if not r[1] and catch then catch(r[2]) end
  if finally then finally() end
  return unpack(r)
end
print(try(function() error("E1", 0) end, function(m) print("caught", m) end, function() print("finally") end))
print(try(function() return "fine" end, nil, function() print("finally 2") end))
