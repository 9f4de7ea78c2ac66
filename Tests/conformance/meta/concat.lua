-- __concat
local S = {}
S.__concat = function(a, b)
  local function v(x) return type(x) == "table" and x.s or tostring(x) end
  return setmetatable({s = v(a) .. v(b)}, S)
end
local function str(s) return setmetatable({s = s}, S) end
local r = str("a") .. "b"
print(r.s)
r = "x" .. str("y")
print(r.s)
r = str("p") .. str("q")
print(r.s)
r = 1 .. str("n")
print(r.s)
-- a chain: right associative, the metamethod sees partial results
local log = {}
local L = {}
L.__concat = function(a, b)
  local function v(x) return type(x) == "table" and x.s or x end
  log[#log + 1] = v(a) .. "|" .. v(b)
  return setmetatable({s = v(a) .. v(b)}, L)
end
local t = setmetatable({s = "T"}, L)
local res = "a" .. "b" .. t .. "c" .. "d"
print(res.s)
print(table.concat(log, "  "))
log = {}
res = t .. "x" .. 1 .. 2
print(res.s, table.concat(log, "  "))
-- __concat returning a plain string
local P = setmetatable({}, {__concat = function(a, b) return "plain" end})
print(P .. P, "s" .. P .. "e")
-- no __concat: error
print(pcall(function() return {} .. "x" end))
print(pcall(function() local n = setmetatable({}, {}) return "x" .. n end))
