-- print separates arguments with tabs and ends with a newline
print()
print(nil)
print(1, nil, 3)
print("a", "b", "c")
print(1.5, -0, 1e100, true, false)
print(("x"):rep(3), #"abc")
print(select("#", print("print returns nothing")))
