-- a text formatter: word wrap, justification, centered titles and a table printer
local text = [[Lua is a powerful, efficient, lightweight, embeddable scripting language. It supports
procedural programming, object-oriented programming, functional programming, data-driven programming,
and data description. Lua combines simple procedural syntax with powerful data description constructs
based on associative arrays and extensible semantics.]]

local function words(s) local w = {} for x in s:gmatch("%S+") do w[#w + 1] = x end return w end
local function wrap(s, width)
  local lines, cur = {}, {}
  local len = 0
  for _, w in ipairs(words(s)) do
    if len > 0 and len + 1 + #w > width then lines[#lines + 1] = cur; cur = {}; len = 0 end
    cur[#cur + 1] = w
    len = len + (len > 0 and 1 or 0) + #w
  end
  if #cur > 0 then lines[#lines + 1] = cur end
  return lines
end
local function justify(ws, width)
  if #ws == 1 then return ws[1] end
  local total = 0
  for _, w in ipairs(ws) do total = total + #w end
  local gaps = #ws - 1
  local spaces = width - total
  local out = {}
  for i, w in ipairs(ws) do
    out[#out + 1] = w
    if i <= gaps then
      local n = math.floor(spaces / gaps) + ((i <= spaces % gaps) and 1 or 0)
      out[#out + 1] = string.rep(" ", n)
    end
  end
  return table.concat(out)
end
local function center(s, width) local pad = width - #s; local l = math.floor(pad / 2); return string.rep(" ", l) .. s .. string.rep(" ", pad - l) end

local W = 40
print("+" .. string.rep("-", W) .. "+")
print("|" .. center("ABOUT LUA", W) .. "|")
print("+" .. string.rep("-", W) .. "+")
local lines = wrap(text, W)
for i, ws in ipairs(lines) do
  local line = (i < #lines) and justify(ws, W) or table.concat(ws, " ")
  print("|" .. line .. string.rep(" ", W - #line) .. "|")
end
print("+" .. string.rep("-", W) .. "+")

-- a table printer with column alignment
local rows = {{"name", "qty", "price"}, {"apple", 3, 0.5}, {"watermelon", 1, 3.25}, {"fig", 12, 0.2}}
local widths = {}
for _, r in ipairs(rows) do for c, v in ipairs(r) do widths[c] = math.max(widths[c] or 0, #tostring(v)) end end
for i, r in ipairs(rows) do
  local cells = {}
  for c, v in ipairs(r) do
    if type(v) == "number" then cells[c] = string.format("%" .. widths[c] .. "s", tostring(v))
    else cells[c] = string.format("%-" .. widths[c] .. "s", v) end
  end
  print("| " .. table.concat(cells, " | ") .. " |")
  if i == 1 then
    local seps = {}
    for c = 1, #widths do seps[c] = string.rep("-", widths[c]) end
    print("|-" .. table.concat(seps, "-|-") .. "-|")
  end
end
local total = 0
for i = 2, #rows do total = total + rows[i][2] * rows[i][3] end
print(string.format("total: %.2f", total))
-- word frequency, sorted by count then word
local freq = {}
for w in text:lower():gmatch("%a+") do freq[w] = (freq[w] or 0) + 1 end
local list = {}
for w, n in pairs(freq) do list[#list + 1] = {w = w, n = n} end
table.sort(list, function(a, b) if a.n ~= b.n then return a.n > b.n end return a.w < b.w end)
for i = 1, 6 do io.write(list[i].w, "=", list[i].n, " ") end
print()
