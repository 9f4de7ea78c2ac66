print(assert(tonumber("12")))
assert(tonumber("twelve"), "not a number: twelve")
