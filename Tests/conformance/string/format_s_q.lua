-- %s, %q, %% and mixed formats
local f = string.format
print(f("%s|%s|%s", "abc", 12, 1.5))
print(f("%5s|%-5s|%.2s|%5.1s|%-5.3s|", "abc", "abc", "abc", "abc", "abcdef"))
print(f("%s", "with\0zero"):byte(1, -1))
print(f("%%|100%%"))
print(f("no conversions"))
print(f("%s and %s", "one", "two"), f("%d%%", 50))
print(f("%q", "simple"))
print(f("%q", 'quote " and backslash \\'))
print(f("%q", "new\nline"))
print(f("%q", "tab\tand bell\a"))
print(f("%q", "\0\1\127"))
print(f("%q", "\200\255"):byte(1, -1))
print(f("%q", ""))
print(f("%q", 42), f("%q", 1.5))
-- %q output can be loaded back
local original = "a\n\"b\\c\0d\r\t"
local back = loadstring("return " .. f("%q", original))()
print(back == original)
print(f("%s %s", 1, 2), f("[%10s][%-10s]", "right", "left"))
print(f("%-3s|%3s|", "toolong", "toolong"))
