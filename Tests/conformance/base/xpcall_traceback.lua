-- xpcall with debug.traceback as handler: check only the structure of the result
local ok, tb = xpcall(function() error("traced error") end, debug.traceback)
print(ok, type(tb))
print((tb:match("^[^\n]*"):gsub("^.-xpcall_traceback.lua:", "FILE:")))
print(tb:find("stack traceback:", 1, true) ~= nil)
print(type(debug.traceback()), debug.traceback("msg"):match("^msg\nstack traceback:") ~= nil)
