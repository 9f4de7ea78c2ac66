-- parser error messages (loadstring returns nil plus the message)
local cases = {
  "x = ", "x = = 1", "local 1 = 2", "if x then", "if x print(1) end", "for i = 1 do end",
  "for i, j = 1, 2 do end", "for in pairs(t) do end", "function f( end", "function (x) end",
  "return return", "x = (1", "x = {1, 2", "x = 1 +", "local function end", "f(", "a.b:c = 1",
  "x = }", "1 = x", "a, b", "a + 1", "x = 'unterminated", "x = \"line\nbreak\"", "while true do",
  "repeat x = 1", "do end end", "x = 1 y = 2", "local x <const> = 1", "x = a..b..", "return 1,",
  "x = #", "t = {[1] 2}", "f() = 1", "local t = {} t.1 = 2", "x = @", "x = $", "x = 1 ~ 2",
  "x = !a", "goto 1", "::1::", "local x = ...; function g() return ... end",
}
for i, src in ipairs(cases) do
  local f, err = loadstring(src)
  print(i, f and "compiled" or err)
end
-- chunk names: custom names and long sources
print(loadstring("x =", "=mychunk"))
print(loadstring("x =", "@file.lua"))
print(loadstring("x =", "a name"))
print(loadstring("local a = 1\nlocal b = 2\nx = = 3"))
print(loadstring(string.rep("x = 1 ", 30) .. "+"))
