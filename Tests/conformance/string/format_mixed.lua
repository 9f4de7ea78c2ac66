-- formats mixing many conversions and arguments
print(string.format("%s|%d|%5.2f|%-4s|%x|%c|%%|%e", "s", 42, 3.14159, "ab", 255, 65, 1234.5))
print(string.format("%3d%%", 7), string.format("[%6.2f]", -1.005), string.format("%+.3e", 0))
local rows = {{"a", 1, 1.5}, {"bbb", 22, 22.25}, {"cc", 333, 333.125}}
for _, r in ipairs(rows) do print(string.format("%-5s%5d%10.3f", r[1], r[2], r[3])) end
print(string.format(("%d "):rep(10), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10))
print(string.format("%s %s %s", 1, 1.5, -0.0), string.format("%s", 1e15), string.format("%s", 2^63))
print(string.format("%.3s|%.0s|%s", "abcdef", "xyz", ""))
print(string.format("%05.1f|%-8.3e|%G", 9.99, 0.000123456, 1e-5))
