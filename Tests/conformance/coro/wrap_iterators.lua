-- coroutine.wrap used as a generic-for iterator over tree structures
local tree = {v = 4, l = {v = 2, l = {v = 1}, r = {v = 3}}, r = {v = 6, l = {v = 5}, r = {v = 7}}}
local function inorder(t)
  return coroutine.wrap(function()
    local function walk(n) if n then walk(n.l); coroutine.yield(n.v); walk(n.r) end end
    walk(t)
  end)
end
local out = {}
for v in inorder(tree) do out[#out + 1] = v end
print(table.concat(out, " "))
-- two iterators interleaved (same-fringe problem)
local function same(a, b)
  local ia, ib = inorder(a), inorder(b)
  while true do
    local x, y = ia(), ib()
    if x ~= y then return false end
    if x == nil then return true end
  end
end
local other = {v = 1, r = {v = 2, r = {v = 3, r = {v = 4, r = {v = 5, r = {v = 6, r = {v = 7}}}}}}}
print(same(tree, other), same(tree, {v = 1}))
-- string tokenizer as a coroutine
local function tokens(s)
  return coroutine.wrap(function()
    for tok in s:gmatch("%S+") do coroutine.yield(tok, #tok) end
  end)
end
for t, n in tokens("the quick  brown fox") do io.write(t, "/", n, " ") end
print()
