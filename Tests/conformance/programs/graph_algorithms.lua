-- graph algorithms: BFS, Dijkstra with a binary heap, topological sort, union-find
local edges = {
  {"a", "b", 4}, {"a", "c", 2}, {"b", "c", 5}, {"b", "d", 10}, {"c", "e", 3}, {"e", "d", 4}, {"d", "f", 11},
  {"e", "f", 20}, {"g", "h", 1},
}
local adj = {}
local nodes = {}
local function add(u, v, w) adj[u] = adj[u] or {}; adj[u][#adj[u] + 1] = {v, w}; nodes[u] = true; nodes[v] = true end
for _, e in ipairs(edges) do add(e[1], e[2], e[3]); add(e[2], e[1], e[3]) end
for k in pairs(nodes) do adj[k] = adj[k] or {} end
for _, list in pairs(adj) do table.sort(list, function(x, y) return x[1] < y[1] end) end
local names = {}
for k in pairs(nodes) do names[#names + 1] = k end
table.sort(names)

local function bfs(start)
  local order, seen, q, head = {}, {[start] = true}, {start}, 1
  while head <= #q do
    local u = q[head]; head = head + 1
    order[#order + 1] = u
    for _, e in ipairs(adj[u]) do if not seen[e[1]] then seen[e[1]] = true; q[#q + 1] = e[1] end end
  end
  return order
end
print("bfs", table.concat(bfs("a"), " "))

local Heap = {}
Heap.__index = Heap
local function heap() return setmetatable({n = 0}, Heap) end
function Heap:push(pri, val)
  self.n = self.n + 1
  local i = self.n
  self[i] = {pri, val}
  while i > 1 do
    local p = math.floor(i / 2)
    if self[p][1] <= self[i][1] then break end
    self[p], self[i] = self[i], self[p]
    i = p
  end
end
function Heap:pop()
  if self.n == 0 then return nil end
  local top = self[1]
  self[1] = self[self.n]; self[self.n] = nil; self.n = self.n - 1
  local i = 1
  while true do
    local l, r, m = 2 * i, 2 * i + 1, i
    if l <= self.n and self[l][1] < self[m][1] then m = l end
    if r <= self.n and self[r][1] < self[m][1] then m = r end
    if m == i then break end
    self[m], self[i] = self[i], self[m]
    i = m
  end
  return top[1], top[2]
end
local function dijkstra(src)
  local dist, prev, h = {[src] = 0}, {}, heap()
  h:push(0, src)
  while true do
    local d, u = h:pop()
    if not d then break end
    if d == dist[u] then
      for _, e in ipairs(adj[u]) do
        local nd = d + e[2]
        if not dist[e[1]] or nd < dist[e[1]] then dist[e[1]] = nd; prev[e[1]] = u; h:push(nd, e[1]) end
      end
    end
  end
  return dist, prev
end
local dist, prev = dijkstra("a")
for _, n in ipairs(names) do
  local path, cur = {}, n
  while cur do table.insert(path, 1, cur); cur = prev[cur] end
  print(n, dist[n] or "unreachable", dist[n] and table.concat(path, ">") or "")
end

local deps = {app = {"lib", "util"}, lib = {"core"}, util = {"core", "log"}, core = {}, log = {}, test = {"app"}}
local function toposort(deps)
  local order, state = {}, {}
  local keys = {}
  for k in pairs(deps) do keys[#keys + 1] = k end
  table.sort(keys)
  local function visit(n)
    if state[n] == "done" then return end
    if state[n] == "visiting" then error("cycle at " .. n) end
    state[n] = "visiting"
    local ds = {unpack(deps[n])}
    table.sort(ds)
    for _, d in ipairs(ds) do visit(d) end
    state[n] = "done"
    order[#order + 1] = n
  end
  for _, k in ipairs(keys) do visit(k) end
  return order
end
print("topo", table.concat(toposort(deps), " "))
deps.core = {"test"}
print(pcall(toposort, deps))

local parent = {}
local function find(x) if parent[x] == nil then parent[x] = x end if parent[x] ~= x then parent[x] = find(parent[x]) end return parent[x] end
local function union(a, b) parent[find(a)] = find(b) end
for _, e in ipairs(edges) do union(e[1], e[2]) end
local comps = {}
for _, n in ipairs(names) do local r = find(n); comps[r] = comps[r] or {}; table.insert(comps[r], n) end
local lines = {}
for _, members in pairs(comps) do lines[#lines + 1] = table.concat(members, ",") end
table.sort(lines)
print("components", table.concat(lines, " | "))
