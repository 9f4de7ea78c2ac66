-- common string utilities built from the library
local function split(s, sep)
  local out, start = {}, 1
  while true do
    local i, j = s:find(sep, start, true)
    if not i then out[#out + 1] = s:sub(start); break end
    out[#out + 1] = s:sub(start, i - 1)
    start = j + 1
  end
  return out
end
local function trim(s) return (s:gsub("^%s+", ""):gsub("%s+$", "")) end
local function join(t, sep) return table.concat(t, sep) end
local function startswith(s, p) return s:sub(1, #p) == p end
local function endswith(s, p) return p == "" or s:sub(-#p) == p end
local parts = split("a,b,,c,", ",")
print(#parts, "[" .. join(parts, "|") .. "]")
parts = split("one::two::three", "::")
print(#parts, join(parts, " "))
print(#split("", ","), #split("no separator", ","))
print("[" .. trim("  \t hello world \n ") .. "]", "[" .. trim("") .. "]", "[" .. trim("   ") .. "]")
print(startswith("hello", "he"), startswith("hello", "lo"), endswith("hello", "lo"), endswith("hello", ""))
local function capitalize(s) return (s:gsub("(%a)(%w*)", function(a, b) return a:upper() .. b:lower() end)) end
print(capitalize("the QUICK brown fOX"))
local function count(s, sub) return select(2, s:gsub(sub, "")) end
print(count("banana", "a"), count("banana", "an"), count("banana", "x"))
local function pad(s, n, c) return s .. string.rep(c or " ", n - #s) end
print("[" .. pad("ab", 5) .. "]", "[" .. pad("ab", 5, ".") .. "]", "[" .. pad("abcdef", 3) .. "]")
local function wrap(s, width)
  local lines, line = {}, ""
  for word in s:gmatch("%S+") do
    if #line + #word + 1 > width and #line > 0 then lines[#lines + 1] = line; line = word
    else line = (#line > 0) and (line .. " " .. word) or word end
  end
  if #line > 0 then lines[#lines + 1] = line end
  return lines
end
for _, l in ipairs(wrap("the quick brown fox jumps over the lazy dog again and again", 16)) do print("|" .. l .. "|") end
