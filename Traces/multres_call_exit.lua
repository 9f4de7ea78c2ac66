-- tracejit: --hotness=counter --jit-param hotloop=2 --jit-param hotexit=2 --jit-param tryinner=0
-- An exit at a call whose arguments are all the results of another call (add(s:sub(i, j))): the
-- call's guards (here the identity of `add`, a new closure at every tok() call) resume the
-- interpreter at the CALL with the multiple-results top in the snapshot, so it passes exactly
-- those arguments.
local function tok(src)
  local toks, i = {}, 1
  local function add(text) toks[#toks + 1] = text end
  while i <= #src do
    local c = src:sub(i, i)
    if c == '"' then
      local j = i + 1
      while true do
        local d = src:sub(j, j)
        if d == c then break else j = j + 1 end
      end
      add(src:sub(i, j))
      i = j + 1
    else
      i = i + 1
    end
  end
  return #toks
end
local s = string.rep('ab "xy" 12 "q" 345 ', 4)
for k = 1, 4 do print(tok(s)) end
