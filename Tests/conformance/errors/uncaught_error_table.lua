-- a non-string error object without __tostring
print("start")
error({code = 1})
