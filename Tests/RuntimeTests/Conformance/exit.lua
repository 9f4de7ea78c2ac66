print("before exit")
io.write("partial line ")
os.exit(3)
print("never")
