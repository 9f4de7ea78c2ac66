-- string.rep and string.reverse
print(string.rep("ab", 3), string.rep("x", 0), string.rep("x", -5), string.rep("", 5))
print(#string.rep("abc", 1000), string.rep("a", 2.9))
print(string.rep(5, 3))
print(pcall(string.rep))
print(pcall(string.rep, "x"))
print(string.reverse("hello"), string.reverse(""), string.reverse("a"), string.reverse("a\0b"):byte(1, -1))
print(("racecar"):reverse() == "racecar", string.reverse(123))
print(pcall(string.reverse))
