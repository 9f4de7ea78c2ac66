-- tracejit: --hotness=counter --jit-param hotcall=3 --jit-param hotexit=2
-- Down-recursion: depth's function trace (1) runs down the recursion (up-recursion); the base
-- case's exit grows a side trace (2) that returns into the caller (RETF), adds 1 and is about
-- to return into a frame of depth again: the recursion is unwinding, so it stops there and the
-- engine records a return trace (3) anchored at that return. Trace 3 returns (RETF), adds 1 and
-- reaches its own return again in the caller's frame: it links to itself (down-recursion), one
-- frame lower each time, until the return into the main chunk fails its RETF guard. Trace 2's
-- end is relinked to it.
local function depth(n)
  if n == 0 then return 0 end
  return 1 + depth(n - 1)
end
print(depth(200), depth(50), depth(100), depth(120))
