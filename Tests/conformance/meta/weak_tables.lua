-- weak tables (__mode) lose collectable entries after a full collection
-- (garbage is created inside helper functions so that no dead stack slot of a live frame refers to it)
local function count(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end
local keep = {}
local wk = setmetatable({}, {__mode = "k"})
local wv = setmetatable({}, {__mode = "v"})
local wkv = setmetatable({}, {__mode = "kv"})
local function fill()
  for i = 1, 10 do
    local k, v = {}, {}
    wk[k] = i
    wv[i] = v
    wkv[k] = v
    if i % 2 == 0 then keep[#keep + 1] = k; keep[#keep + 1] = v end
  end
  -- non-collectable values are never removed
  wv.str = "a string"; wv.num = 42; wv.bool = true
  wk["strkey"] = 1; wk[5.5] = 2
end
fill()
print("before", count(wk), count(wv), count(wkv))
collectgarbage()
collectgarbage()
print("after", count(wk), count(wv), count(wkv))
-- remaining entries are exactly the kept ones
local function only_even()
  for k, v in pairs(wk) do if type(k) == "table" and v % 2 ~= 0 then return false end end
  return true
end
print("only even keys kept", only_even())
-- dropping the last strong references releases the rest
keep = nil
collectgarbage()
collectgarbage()
print("released", count(wk), count(wv), count(wkv))
-- a cache with weak values
local cache = setmetatable({}, {__mode = "v"})
local function get(name)
  local obj = cache[name]
  if not obj then obj = {name = name}; cache[name] = obj end
  return obj
end
local held = get("a")
local function touch() get("b") end
touch()
collectgarbage()
print(cache.a == held, cache.b)
-- __mode set after creation still takes effect
local late = {}
local function add_late() late[{}] = true end
add_late()
setmetatable(late, {__mode = "k"})
collectgarbage()
print(count(late))
