-- semicolons as statement separators
local a = 1; local b = 2; print(a + b);
do local c = 3; print(c); end;
local function f() return 1; end; print(f());
for i = 1, 2 do io.write(i, ";"); end; print();
local t = {1; 2; 3;}; print(#t);
-- an empty statement is not allowed in Lua 5.1 / LuaJIT
print(loadstring(";"))
print(loadstring("local x = 1;;"))
