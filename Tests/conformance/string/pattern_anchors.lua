-- ^ and $ anchors
print(("hello"):find("^h"), ("hello"):find("^e"), ("hello"):find("o$"), ("hello"):find("l$"))
print(("hello"):match("^(.*)$"), ("a$b"):match("a$b"), ("a$"):match("a%$"))
print(("hello"):find("^"), ("hello"):find("$"), ("hello"):match("^$"), (""):match("^$"))
print(("x^"):find("x^"), ("^x"):find("^^x"))
print(("line1\nline2"):match("^(.-)$"))
print(("abc"):find("^b", 2), ("abc"):match("^b", 2))
print(("aaa"):gsub("^a", "b"), ("aaa"):gsub("a$", "b"))
