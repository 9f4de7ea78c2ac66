-- getfenv / setfenv basics (Lua 5.1 function environments)
local function show() return tostring(visible_name) end
visible_name = "global"
print(show())
local env = {tostring = tostring, visible_name = "from env"}
setfenv(show, env)
print(show())
print(getfenv(show) == env, getfenv(print) == _G)
-- setfenv on a level
local function inner()
  setfenv(1, {print = print, level = "level env"})
  print(level)
end
inner()
print(level)
-- a sandboxed chunk
local code = loadstring("a = 1; b = a + 1; return b")
local sandbox = {}
setfenv(code, sandbox)
print(code(), sandbox.a, sandbox.b, a, b)
-- new closures inherit the environment of the creating function
local maker = loadstring("return function() return who end")
setfenv(maker, {who = "inherited"})
print(maker()())
-- setfenv returns the function
local g = function() return 1 end
print(setfenv(g, {}) == g)
-- errors
print(pcall(setfenv, 1, 2))
print(pcall(setfenv, print, {}))
print(pcall(getfenv, 100))
