-- deep copies, equality and serialization of nested tables (with sorted keys)
local function serialize(v, indent)
  indent = indent or ""
  if type(v) ~= "table" then return type(v) == "string" and string.format("%q", v) or tostring(v) end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) < type(b)
  end)
  local parts = {}
  for _, k in ipairs(keys) do
    parts[#parts + 1] = indent .. "  [" .. serialize(k) .. "] = " .. serialize(v[k], indent .. "  ")
  end
  return "{\n" .. table.concat(parts, ",\n") .. "\n" .. indent .. "}"
end
local function deepcopy(v, seen)
  if type(v) ~= "table" then return v end
  seen = seen or {}
  if seen[v] then return seen[v] end
  local c = {}
  seen[v] = c
  for k, val in pairs(v) do c[deepcopy(k, seen)] = deepcopy(val, seen) end
  return c
end
local function deepeq(a, b)
  if type(a) ~= "table" or type(b) ~= "table" then return a == b end
  for k, v in pairs(a) do if not deepeq(v, b[k]) then return false end end
  for k in pairs(b) do if a[k] == nil then return false end end
  return true
end
local data = {name = "cfg", list = {1, 2, {3, 4}}, flags = {on = true, off = false}, [1] = "first", n = 1.5}
print(serialize(data))
local copy = deepcopy(data)
print(deepeq(data, copy), copy ~= data, copy.list ~= data.list)
copy.list[3][2] = 99
print(deepeq(data, copy), data.list[3][2])
local cyc = {}
cyc.self = cyc
local cc = deepcopy(cyc)
print(cc.self == cc, cc ~= cyc)
