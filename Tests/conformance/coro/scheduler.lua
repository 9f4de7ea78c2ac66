-- a tiny cooperative scheduler with sleeping tasks and message passing
local tasks, time, log = {}, 0, {}
local function spawn(name, f) tasks[#tasks + 1] = {name = name, co = coroutine.create(f), wake = 0} end
local function sleep(n) coroutine.yield(n) end
local mailbox = {}
spawn("producer", function()
  for i = 1, 3 do mailbox[#mailbox + 1] = "msg" .. i; log[#log + 1] = time .. ":put" .. i; sleep(2) end
end)
spawn("consumer", function()
  local got = 0
  while got < 3 do
    if #mailbox > 0 then
      local m = table.remove(mailbox, 1)
      got = got + 1
      log[#log + 1] = time .. ":get " .. m
    end
    sleep(1)
  end
end)
spawn("ticker", function() for i = 1, 4 do log[#log + 1] = time .. ":tick"; sleep(3) end end)
while #tasks > 0 do
  for i = #tasks, 1, -1 do
    local t = tasks[i]
    if t.wake <= time then
      local ok, d = coroutine.resume(t.co)
      if not ok then error(d) end
      if coroutine.status(t.co) == "dead" then table.remove(tasks, i) else t.wake = time + d end
    end
  end
  time = time + 1
end
print(table.concat(log, "\n"))
print("ended at", time)
