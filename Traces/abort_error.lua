-- tracejit: --jit-eager
-- Abort: an error raised by the instruction being recorded ("error thrown: ..."). string.char(256)
-- is recorded, then the interpreter raises the error, which pcall catches.
local ok, msg = pcall(function()
  local s = ""
  for i = 255, 300 do s = s .. string.char(i) end
  return s
end)
print(ok, (msg:gsub("^[^:]*:%d+: ", "")))
