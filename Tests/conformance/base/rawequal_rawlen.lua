-- raw functions of 5.1 (rawlen does not exist in 5.1)
print(rawequal(1, 1), rawequal("a", "a"), rawequal({}, {}), rawequal(nil, false))
local t = {}
print(rawequal(t, t), rawget(t, "x"), rawset(t, "x", 1) == t, rawget(t, "x"))
print(rawlen)
