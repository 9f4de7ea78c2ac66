-- table.concat converts numbers like tostring (%.14g)
print(table.concat({0.1, 1/3, 1e100, -0.0, 2^53, 100, 1e15, 1e16}, " "))
print(table.concat({1, "a", 2.5, "b"}, ", ", 2, 3))
print(table.concat({"x", "y", "z"}, "\0"):byte(1, -1))
