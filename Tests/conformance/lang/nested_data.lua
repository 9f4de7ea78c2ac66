-- deep field chains and nested assignment
local a = {b = {c = {d = {}}}}
a.b.c.d.e = "deep"
print(a.b.c.d.e, a["b"]["c"]["d"]["e"])
a.b.c = nil
print(a.b.c)
print(pcall(function() return a.b.c.d end))
local list = {}
for i = 1, 5 do list[i] = {id = i, tags = {"t" .. i}} end
list[3].tags[2] = "extra"
print(#list[3].tags, list[3].tags[2], list[5].tags[1])
-- tables as sets and counters
local words = {"a", "b", "a", "c", "b", "a"}
local counts = {}
for _, w in ipairs(words) do counts[w] = (counts[w] or 0) + 1 end
local keys = {}
for k in pairs(counts) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do io.write(k, "=", counts[k], " ") end
print()
-- linked list
local head
for i = 1, 5 do head = {v = i, next = head} end
local vals = {}
local node = head
while node do vals[#vals + 1] = node.v; node = node.next end
print(table.concat(vals, "->"))
-- self-referencing table
local self_ref = {}
self_ref.me = self_ref
print(self_ref.me.me.me == self_ref)
-- 2D grid
local grid = {}
for y = 1, 3 do grid[y] = {} for x = 1, 3 do grid[y][x] = (y - 1) * 3 + x end end
for y = 1, 3 do print(table.concat(grid[y], " ")) end
