io.write("partial output without newline")
error("explicit failure")
