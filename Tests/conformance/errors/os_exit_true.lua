print("exit(true) is success")
os.exit(true)
