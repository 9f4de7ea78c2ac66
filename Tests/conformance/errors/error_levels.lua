-- error with levels 1 (default), 2, 0 and higher
local function lvl1() error("level one") end
local function lvl1b() error("level one explicit", 1) end
local function lvl2() error("level two", 2) end
local function lvl0() error("level zero", 0) end
local function lvl3() error("level three", 3) end
local function caller2() lvl2() end         -- line 7: blamed for level 2
local function caller3() lvl3() end
local function outer3() caller3() end       -- line 9: blamed for level 3
print(pcall(lvl1))
print(pcall(lvl1b))
print(pcall(caller2))
print(pcall(lvl0))
print(pcall(outer3))
-- level 2 when called directly from pcall: no Lua caller position
print(pcall(lvl2))
-- levels beyond the stack
print(pcall(function() error("far", 50) end))
-- error message positions use the current line
print(pcall(function()
  local a = 1
  error("positioned at the error call")
end))
