-- tracejit: --jit-eager
-- Abort: a call to a native function the recorder does not know (table.insert) aborts the
-- recording ("NYI: call to native 'table.insert'"). The loop keeps aborting at each try and is
-- blacklisted after maxabort (6) aborts; the program runs on in the interpreter.
local t = {}
for i = 1, 20 do
  table.insert(t, i)
end
print(#t, t[20])
