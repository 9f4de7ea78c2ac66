-- yield from nested Lua calls inside the coroutine
local function deep(n)
  if n == 0 then return coroutine.yield("bottom") end
  return deep(n - 1) .. "<" .. n
end
local co = coroutine.create(function() return deep(5) end)
print(coroutine.resume(co))
print(coroutine.resume(co, "back"))
local function walk(t)
  for _, v in ipairs(t) do
    if type(v) == "table" then walk(v) else coroutine.yield(v) end
  end
end
local flat = {}
for v in coroutine.wrap(function() walk({1, {2, {3, 4}, 5}, {{6}}, 7}) end) do flat[#flat + 1] = v end
print(table.concat(flat, " "))
-- yield from inside a for loop in a called function keeps loop state
local function counter(n) for i = 1, n do coroutine.yield(i) end return "done" end
local c = coroutine.wrap(function() return counter(3) end)
print(c(), c(), c(), c())
-- a deep recursive generator
local function perms(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(table.concat(a)) else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      perms(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local all = {}
for p in coroutine.wrap(function() perms({"a", "b", "c", "d"}) end) do all[#all + 1] = p end
table.sort(all)
print(#all, all[1], all[24])
