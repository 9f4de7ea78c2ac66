-- richards: an operating-system task scheduler simulation after Martin
-- Richards' benchmark: an idle task, a worker, two handlers and two devices
-- exchange packets through priority-ordered task control blocks.
-- Measures: method calls through metatables, polymorphic dispatch (task.fn),
-- field access on objects, linked-list manipulation.
-- Size: N complete simulations; each must queue 2322 packets and hold 928
-- times (the counts every correct Richards produces with COUNT = 1000).
local N = tonumber(arg and arg[1]) or 1300
local COUNT = 1000
local EXPECTED_QUEUE, EXPECTED_HOLD = 2322, 928

local ID_IDLE, ID_WORKER, ID_HANDLER_A, ID_HANDLER_B, ID_DEVICE_A, ID_DEVICE_B = 1, 2, 3, 4, 5, 6
local KIND_DEVICE, KIND_WORK = 0, 1
local DATA_SIZE = 4

-- 16-bit exclusive or without the bit library
local function xor16(a, b)
  local r, p = 0, 1
  for _ = 1, 16 do
    local x, y = a % 2, b % 2
    if x ~= y then r = r + p end
    a = (a - x) / 2; b = (b - y) / 2; p = p * 2
  end
  return r
end

---------------------------------------------------------------- packets
local Packet = {}
Packet.__index = Packet

function Packet.new(link, id, kind)
  local a2 = {}
  for i = 1, DATA_SIZE do a2[i] = 0 end
  return setmetatable({ link = link, id = id, kind = kind, a1 = 0, a2 = a2 }, Packet)
end

-- append self at the end of queue; returns the new queue head
function Packet:add_to(queue)
  self.link = nil
  if queue == nil then return self end
  local p = queue
  local nxt = p.link
  while nxt ~= nil do p = nxt; nxt = p.link end
  p.link = self
  return queue
end

---------------------------------------------------------------- task control blocks
-- state: packet_pending (runnable), task_waiting (suspended), task_holding (held)
local Tcb = {}
Tcb.__index = Tcb

function Tcb.new(link, id, pri, queue, task)
  return setmetatable({ link = link, id = id, pri = pri, queue = queue, task = task,
                        packet_pending = queue ~= nil, task_waiting = true, task_holding = false },
                      Tcb)
end

function Tcb:set_running() self.packet_pending = false; self.task_waiting = false; self.task_holding = false end
function Tcb:mark_not_held() self.task_holding = false end
function Tcb:mark_held() self.task_holding = true end
function Tcb:mark_suspended() self.task_waiting = true end
function Tcb:mark_runnable() self.packet_pending = true end
function Tcb:held_or_suspended()
  return self.task_holding or (not self.packet_pending and self.task_waiting)
end

function Tcb:run(sched)
  local packet
  if self.task_waiting and self.packet_pending and not self.task_holding then
    packet = self.queue
    self.queue = packet.link
    if self.queue == nil then self:set_running() else
      self.packet_pending = true; self.task_waiting = false; self.task_holding = false
    end
  end
  return self.task:fn(sched, packet)
end

-- a packet arrives for this task while `task` is running
function Tcb:check_priority_add(task, packet)
  if self.queue == nil then
    self.queue = packet
    self:mark_runnable()
    if self.pri > task.pri then return self end
  else
    self.queue = packet:add_to(self.queue)
  end
  return task
end

---------------------------------------------------------------- the scheduler
local Scheduler = {}
Scheduler.__index = Scheduler

function Scheduler.new()
  return setmetatable({ queue_count = 0, hold_count = 0, blocks = {}, list = nil,
                        current = nil, current_id = nil }, Scheduler)
end

function Scheduler:add_task(id, pri, queue, task)
  local tcb = Tcb.new(self.list, id, pri, queue, task)
  self.current = tcb
  self.list = tcb
  self.blocks[id] = tcb
end

function Scheduler:add_running_task(id, pri, queue, task)
  self:add_task(id, pri, queue, task)
  self.current:set_running()
end

function Scheduler:schedule()
  local tcb = self.list
  self.current = tcb
  while tcb ~= nil do
    if tcb:held_or_suspended() then
      tcb = tcb.link
    else
      self.current_id = tcb.id
      tcb = tcb:run(self)
    end
    self.current = tcb
  end
end

function Scheduler:release(id)
  local tcb = self.blocks[id]
  if tcb == nil then return nil end
  tcb:mark_not_held()
  if tcb.pri > self.current.pri then return tcb end
  return self.current
end

function Scheduler:hold_current()
  self.hold_count = self.hold_count + 1
  self.current:mark_held()
  return self.current.link
end

function Scheduler:suspend_current()
  self.current:mark_suspended()
  return self.current
end

function Scheduler:queue(packet)
  local tcb = self.blocks[packet.id]
  if tcb == nil then return nil end
  self.queue_count = self.queue_count + 1
  packet.link = nil
  packet.id = self.current_id
  return tcb:check_priority_add(self.current, packet)
end

---------------------------------------------------------------- the tasks
local IdleTask = {}
IdleTask.__index = IdleTask
function IdleTask.new(v1, count) return setmetatable({ v1 = v1, count = count }, IdleTask) end
function IdleTask:fn(sched, packet)
  self.count = self.count - 1
  if self.count == 0 then return sched:hold_current() end
  local v1 = self.v1
  if v1 % 2 == 0 then
    self.v1 = v1 / 2
    return sched:release(ID_DEVICE_A)
  end
  self.v1 = xor16((v1 - 1) / 2, 0xD008)
  return sched:release(ID_DEVICE_B)
end

local DeviceTask = {}
DeviceTask.__index = DeviceTask
function DeviceTask.new() return setmetatable({ pending = nil }, DeviceTask) end
function DeviceTask:fn(sched, packet)
  if packet == nil then
    local p = self.pending
    if p == nil then return sched:suspend_current() end
    self.pending = nil
    return sched:queue(p)
  end
  self.pending = packet
  return sched:hold_current()
end

local WorkerTask = {}
WorkerTask.__index = WorkerTask
function WorkerTask.new(dest, count) return setmetatable({ dest = dest, count = count }, WorkerTask) end
function WorkerTask:fn(sched, packet)
  if packet == nil then return sched:suspend_current() end
  if self.dest == ID_HANDLER_A then self.dest = ID_HANDLER_B else self.dest = ID_HANDLER_A end
  packet.id = self.dest
  packet.a1 = 0
  local a2 = packet.a2
  for i = 1, DATA_SIZE do
    local c = self.count + 1
    if c > 26 then c = 1 end
    self.count = c
    a2[i] = c
  end
  return sched:queue(packet)
end

local HandlerTask = {}
HandlerTask.__index = HandlerTask
function HandlerTask.new() return setmetatable({ work = nil, devices = nil }, HandlerTask) end
function HandlerTask:fn(sched, packet)
  if packet ~= nil then
    if packet.kind == KIND_WORK then self.work = packet:add_to(self.work)
    else self.devices = packet:add_to(self.devices) end
  end
  local work = self.work
  if work ~= nil then
    local count = work.a1
    if count < DATA_SIZE then
      local dev = self.devices
      if dev ~= nil then
        self.devices = dev.link
        dev.a1 = work.a2[count + 1]
        work.a1 = count + 1
        return sched:queue(dev)
      end
    else
      self.work = work.link
      return sched:queue(work)
    end
  end
  return sched:suspend_current()
end

---------------------------------------------------------------- one run
local function run()
  local s = Scheduler.new()
  s:add_running_task(ID_IDLE, 0, nil, IdleTask.new(1, COUNT))

  local q = Packet.new(nil, ID_WORKER, KIND_WORK)
  q = Packet.new(q, ID_WORKER, KIND_WORK)
  s:add_task(ID_WORKER, 1000, q, WorkerTask.new(ID_HANDLER_A, 0))

  q = Packet.new(nil, ID_DEVICE_A, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_A, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_A, KIND_DEVICE)
  s:add_task(ID_HANDLER_A, 2000, q, HandlerTask.new())

  q = Packet.new(nil, ID_DEVICE_B, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_B, KIND_DEVICE)
  q = Packet.new(q, ID_DEVICE_B, KIND_DEVICE)
  s:add_task(ID_HANDLER_B, 3000, q, HandlerTask.new())

  s:add_task(ID_DEVICE_A, 4000, nil, DeviceTask.new())
  s:add_task(ID_DEVICE_B, 5000, nil, DeviceTask.new())
  s:schedule()
  return s.queue_count, s.hold_count
end

local tq, th = 0, 0
for i = 1, N do
  local qc, hc = run()
  if qc ~= EXPECTED_QUEUE or hc ~= EXPECTED_HOLD then
    error(string.format("richards: run %d queued %d and held %d, expected %d and %d",
      i, qc, hc, EXPECTED_QUEUE, EXPECTED_HOLD))
  end
  tq, th = tq + qc, th + hc
end
io.write(string.format("richards %d %d\n", tq, th))
