-- string <-> number coercions
print("10" + 1, "10" - 1, "3" * "4", "10" / "4", "7" % "4", "2" ^ "10")
print(" 5 " + 0, "\t6\n" * 1, "0x10" + 0, "1e2" + 0, "-3" + 0, ".5" + 0, "5." + 0)
print(-"2", -"-2", - "0x10")
print(10 .. 20, 1.5 .. "", -0.0 .. "", 1e100 .. "x", 2^63 .. "")
print(type("10" + 0), type(10 .. ""))
print(pcall(function() return "abc" + 1 end))
print(pcall(function() return "" + 1 end))
print(pcall(function() return "1 2" + 1 end))
print(pcall(function() return "0x" + 1 end))
print(pcall(function() return {} .. "" end))
print(pcall(function() return true .. "" end))
print(pcall(function() return nil .. "" end))
-- comparisons never coerce
print(pcall(function() return 1 < "2" end))
print("10" == 10, "10" ~= 10)
print("10" < "9", 10 < 9)
-- tonumber vs arithmetic
print(tonumber("  0x1F  "), tonumber("1e1"), tonumber("z"), tonumber(""))
-- table keys are not coerced
local t = {}
t[1] = "number"
t["1"] = "string"
print(t[1], t["1"], t[1.0])
-- concatenation of numbers uses %.14g
print(0.1 + 0.2 .. "", 100 / 3 .. "", 1/0 .. "", 2^53 .. "")
-- string arithmetic results are numbers
local s = "2"
s = s + 0
print(type(s), s)
print("0x7fffffff" + 1, "1e308" * 10)
