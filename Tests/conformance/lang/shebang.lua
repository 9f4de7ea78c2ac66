#!/usr/bin/env luajit
-- the first line of a script file is skipped when it starts with '#'
print("shebang skipped")
