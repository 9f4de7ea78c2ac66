-- table.insert/remove at random positions compared against a simple reference model
local seed = 7
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n end
local t, model = {}, {}
local function model_insert(pos, v)
  for i = #model, pos, -1 do model[i + 1] = model[i] end
  model[pos] = v
end
local function model_remove(pos)
  local v = model[pos]
  for i = pos, #model - 1 do model[i] = model[i + 1] end
  model[#model] = nil
  return v
end
local ok = true
for step = 1, 3000 do
  if #t == 0 or rnd(3) > 0 then
    local pos = rnd(#t + 1) + 1
    table.insert(t, pos, step)
    model_insert(pos, step)
  else
    local pos = rnd(#t) + 1
    if table.remove(t, pos) ~= model_remove(pos) then ok = false end
  end
  if #t ~= #model then ok = false end
end
for i = 1, #t do if t[i] ~= model[i] then ok = false end end
print(ok, #t)
