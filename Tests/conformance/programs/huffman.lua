-- Huffman coding: build a code from byte frequencies, encode, decode, check round trip
local text = "this is an example of a huffman tree built from a short sentence, with some repeated letters eeee"
local freq = {}
for c in text:gmatch(".") do freq[c] = (freq[c] or 0) + 1 end
local nodes = {}
for c, f in pairs(freq) do nodes[#nodes + 1] = {f = f, c = c, key = c} end
local function less(a, b) if a.f ~= b.f then return a.f < b.f end return a.key < b.key end
while #nodes > 1 do
  table.sort(nodes, less)
  local a = table.remove(nodes, 1)
  local b = table.remove(nodes, 1)
  nodes[#nodes + 1] = {f = a.f + b.f, l = a, r = b, key = a.key .. b.key}
end
local root = nodes[1]
local codes = {}
local function walk(n, prefix)
  if n.c then codes[n.c] = prefix == "" and "0" or prefix return end
  walk(n.l, prefix .. "0"); walk(n.r, prefix .. "1")
end
walk(root, "")
local chars = {}
for c in pairs(codes) do chars[#chars + 1] = c end
table.sort(chars, function(a, b) if #codes[a] ~= #codes[b] then return #codes[a] < #codes[b] end return a < b end)
for i = 1, 8 do io.write(string.format("%q=%s ", chars[i], codes[chars[i]])) end
print()
local bits = text:gsub(".", codes)
print(#text * 8, #bits)
local out, n = {}, root
for b in bits:gmatch(".") do
  n = (b == "0") and n.l or n.r
  if n.c then out[#out + 1] = n.c; n = root end
end
print(table.concat(out) == text)
-- pack bits into bytes and report a checksum
local bytes = {}
for i = 1, #bits, 8 do bytes[#bytes + 1] = tonumber((bits:sub(i, i + 7) .. "0000000"):sub(1, 8), 2) end
local sum = 0
for i, b in ipairs(bytes) do sum = (sum * 31 + b) % 1000003 end
print(#bytes, sum)
