-- %d %i %u %c %x %X %o with flags, width and precision
local f = string.format
print(f("%d|%i|%d|%d", 42, -42, 0, 3.0))
print(f("%5d|%-5d|%05d|%+d|% d|%+5d", 42, 42, 42, 42, 42, -42))
print(f("%.3d|%8.3d|%-8.3d|%.0d|%5.0d|", 5, 5, 5, 0, 0))
print(f("%d %d", 2^31, -2^31), f("%d", 2^53), f("%d", -2^53))
print(f("%d", 3.99), f("%d", -3.99), f("%d", "17"), f("%d", " 0x10 "))
print(f("%x|%X|%#x|%#X|%08x|%-8x|", 255, 255, 255, 255, 255, 255))
print(f("%x %x %X", 0, 2^32, 3735928559))
print(f("%o|%#o|%5o|%-5o|", 8, 8, 8, 8))
print(f("%u %u", 42, 2^32 + 5))
print(f("%c%c%c", 76, 117, 97), f("%5c|%-5c|", 65, 66))
print(#f("%c", 0), f("%c", 255):byte())
print(f("%3d|%3d|%3d", 1, 22, 4444))
