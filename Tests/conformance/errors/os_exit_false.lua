print("exit(false) is failure")
os.exit(false)
