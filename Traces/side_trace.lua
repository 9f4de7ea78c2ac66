-- tracejit: --hotness=counter --jit-param hotloop=5 --jit-param hotexit=3
-- A failing guard grows a side trace: the loop becomes hot (5 back-edges) while i <= 20, so the
-- root trace guards the branch "i > 20" as false. Once i passes 20 that guard fails at every
-- iteration; after 3 exits (hotexit) a side trace is recorded from the exit, and it links back
-- to the root trace ("-> 1"). Later iterations go root -> side -> root without the interpreter.
local small, big = 0, 0
for i = 1, 60 do
  if i > 20 then
    big = big + i
  else
    small = small + i
  end
end
print(small, big)
