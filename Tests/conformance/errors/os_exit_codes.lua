-- os.exit with an explicit status; buffered output is flushed
io.write("exiting with 3\n")
os.exit(3)
print("not reached")
