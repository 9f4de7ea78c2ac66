-- nested do blocks and scoping of locals and functions
local log = {}
do
  local a = 1
  do
    local b = a + 1
    do
      local c = b + 1
      log[#log + 1] = a + b + c
    end
    log[#log + 1] = b
  end
  log[#log + 1] = a
end
print(table.concat(log, " "))
do local function hidden() return "hidden" end print(hidden()) end
print(hidden)
local x = "outer"
do local x = "inner"; do x = "modified inner" end print(x) end
print(x)
