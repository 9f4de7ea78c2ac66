-- writing to stderr does not change the exit status
io.stderr:write("to stderr\n")
print("to stdout")
