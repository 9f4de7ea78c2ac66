-- a JSON encoder and decoder, round-tripping a document
local json = {}

local escapes = {['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t'}
local function encode_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c) return escapes[c] or string.format("\\u%04x", c:byte()) end) .. '"'
end
local function is_array(t)
  local n = 0
  for k in pairs(t) do
    if type(k) ~= "number" or k <= 0 or k % 1 ~= 0 then return false end
    n = n + 1
  end
  for i = 1, n do if t[i] == nil then return false end end
  return true, n
end
function json.encode(v, indent, cur)
  cur = cur or ""
  local t = type(v)
  if v == nil or v == json.null then return "null"
  elseif t == "boolean" then return tostring(v)
  elseif t == "number" then
    if v ~= v or v == math.huge or v == -math.huge then error("cannot encode " .. tostring(v)) end
    if v % 1 == 0 and v >= -2^53 and v <= 2^53 then return string.format("%.0f", v) end
    return string.format("%.14g", v)
  elseif t == "string" then return encode_string(v)
  elseif t == "table" then
    local nl = indent and "\n" or ""
    local inner = indent and (cur .. indent) or ""
    local arr, n = is_array(v)
    local parts = {}
    if arr then
      if n == 0 then return "[]" end
      for i = 1, n do parts[i] = inner .. json.encode(v[i], indent, inner) end
      return "[" .. nl .. table.concat(parts, "," .. nl) .. nl .. (indent and cur or "") .. "]"
    end
    local keys = {}
    for k in pairs(v) do
      if type(k) ~= "string" then error("non-string key: " .. tostring(k)) end
      keys[#keys + 1] = k
    end
    table.sort(keys)
    for i, k in ipairs(keys) do
      parts[i] = inner .. encode_string(k) .. ":" .. (indent and " " or "") .. json.encode(v[k], indent, inner)
    end
    return "{" .. nl .. table.concat(parts, "," .. nl) .. nl .. (indent and cur or "") .. "}"
  end
  error("cannot encode type " .. t)
end

json.null = setmetatable({}, {__tostring = function() return "null" end})

local function decode_error(s, pos, msg)
  local line = select(2, s:sub(1, pos):gsub("\n", "")) + 1
  error(string.format("JSON error at line %d (pos %d): %s", line, pos, msg), 0)
end
local function skip(s, pos) return s:find("[^ \t\r\n]", pos) or #s + 1 end
local decode_value
local function decode_string(s, pos)
  local buf = {}
  local i = pos + 1
  while true do
    local c = s:sub(i, i)
    if c == "" then decode_error(s, i, "unterminated string") end
    if c == '"' then return table.concat(buf), i + 1 end
    if c == "\\" then
      local e = s:sub(i + 1, i + 1)
      local map = {b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/"}
      if map[e] then buf[#buf + 1] = map[e]; i = i + 2
      elseif e == "u" then
        local hex = s:sub(i + 2, i + 5)
        if not hex:match("^%x%x%x%x$") then decode_error(s, i, "bad unicode escape") end
        local cp = tonumber(hex, 16)
        if cp < 0x80 then buf[#buf + 1] = string.char(cp)
        elseif cp < 0x800 then buf[#buf + 1] = string.char(0xC0 + math.floor(cp / 64), 0x80 + cp % 64)
        else buf[#buf + 1] = string.char(0xE0 + math.floor(cp / 4096), 0x80 + math.floor(cp / 64) % 64, 0x80 + cp % 64) end
        i = i + 6
      else decode_error(s, i, "bad escape \\" .. e) end
    else
      buf[#buf + 1] = c
      i = i + 1
    end
  end
end
function decode_value(s, pos)
  pos = skip(s, pos)
  local c = s:sub(pos, pos)
  if c == "{" then
    local obj = {}
    pos = skip(s, pos + 1)
    if s:sub(pos, pos) == "}" then return obj, pos + 1 end
    while true do
      if s:sub(pos, pos) ~= '"' then decode_error(s, pos, "expected string key") end
      local k
      k, pos = decode_string(s, pos)
      pos = skip(s, pos)
      if s:sub(pos, pos) ~= ":" then decode_error(s, pos, "expected ':'") end
      obj[k], pos = decode_value(s, pos + 1)
      pos = skip(s, pos)
      local d = s:sub(pos, pos)
      if d == "}" then return obj, pos + 1 end
      if d ~= "," then decode_error(s, pos, "expected ',' or '}'") end
      pos = skip(s, pos + 1)
    end
  elseif c == "[" then
    local arr = {}
    pos = skip(s, pos + 1)
    if s:sub(pos, pos) == "]" then return arr, pos + 1 end
    while true do
      arr[#arr + 1], pos = decode_value(s, pos)
      pos = skip(s, pos)
      local d = s:sub(pos, pos)
      if d == "]" then return arr, pos + 1 end
      if d ~= "," then decode_error(s, pos, "expected ',' or ']'") end
      pos = pos + 1
    end
  elseif c == '"' then return decode_string(s, pos)
  elseif s:find("^true", pos) then return true, pos + 4
  elseif s:find("^false", pos) then return false, pos + 5
  elseif s:find("^null", pos) then return json.null, pos + 4
  else
    local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
    if not num or num == "" then decode_error(s, pos, "unexpected character '" .. c .. "'") end
    return tonumber(num), pos + #num
  end
end
function json.decode(s)
  local v, pos = decode_value(s, 1)
  pos = skip(s, pos)
  if pos <= #s then decode_error(s, pos, "trailing garbage") end
  return v
end

local doc = {
  name = "tracejit", version = 1.5, tags = {"jit", "lua", "trace"},
  nested = {deep = {deeper = {value = -42, list = {1, 2.5, 1e20, -0.001}}}},
  flags = {enabled = true, disabled = false, nothing = json.null},
  text = "line1\nline2\t\"quoted\" back\\slash \1",
  empty_list = {}, unicode = "caf\195\169",
}
local compact = json.encode(doc)
print(compact)
print(json.encode(doc, "  "))
local back = json.decode(compact)
print(json.encode(back) == compact)
print(back.nested.deep.deeper.list[3], back.flags.nothing == json.null, back.text == doc.text)
local samples = {'[1, 2, [3, {"a": null}]]', '  {"k" : "v" , "n":-1.5e2}  ', '"\\u0041\\u00e9\\u20ac"', "[]", "{}",
  "true", "  42  ", '{"a":[true,false,null]}'}
for _, s in ipairs(samples) do print(json.encode(json.decode(s))) end
local bad = {'[1, 2', '{"a" 1}', '{"a":1,}', '[1,]x', 'tru', '"unterminated', '{"a":"\\q"}', '[1] 2', ''}
for _, s in ipairs(bad) do print(select(2, pcall(json.decode, s))) end
print(pcall(json.encode, {[1] = 1, [3] = 3}))
print(pcall(json.encode, {1 / 0}))
print(pcall(json.encode, {f = print}))
