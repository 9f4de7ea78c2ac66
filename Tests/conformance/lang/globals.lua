-- global variables live in the function environment (_G by default)
print(undefined_global)
newglobal = 5
print(newglobal, _G.newglobal, _G["newglobal"])
_G.viaG = "set via _G"
print(viaG)
newglobal = nil
print(newglobal, rawget(_G, "newglobal"))
print(_G._G == _G, type(_G))
local name = "dyn" .. "amic"
_G[name] = 42
print(dynamic)
-- a local shadows a global of the same name
print = print
local print = print
print("local print works")
-- globals from functions
local function setg() g_from_fn = "yes" end
setg()
print(g_from_fn)
-- a global function calling itself by its global name
function gcount(n) if n == 0 then return 0 end return 1 + gcount(n - 1) end
print(gcount(10))
-- counting a set of known globals
local known = {"print", "type", "pairs", "ipairs", "string", "table", "math", "io", "os", "coroutine",
  "select", "tostring", "tonumber", "pcall", "xpcall", "error", "assert", "next", "rawget", "rawset",
  "rawequal", "setmetatable", "getmetatable", "unpack", "loadstring", "load", "dofile", "collectgarbage",
  "getfenv", "setfenv", "bit", "_VERSION"}
local missing = {}
for _, k in ipairs(known) do if _G[k] == nil then missing[#missing + 1] = k end end
print("missing:", #missing, table.concat(missing, ","))
