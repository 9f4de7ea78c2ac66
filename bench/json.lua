-- json: a JSON encoder and a recursive-descent decoder, round-tripping a
-- generated document of N records (nested objects, arrays, strings needing
-- escapes, integers, fractions, booleans, null).
-- Measures: string building through buffers and table.concat, string.byte
-- scanning, string.find with anchored patterns, gsub with a function,
-- table.sort of keys, recursion, small-table allocation.
-- Size: N records.
local N = tonumber(arg and arg[1]) or 16000
local byte, char, sub, find, format, gsub = string.byte, string.char, string.sub, string.find, string.format, string.gsub
local concat, sort, floor = table.concat, table.sort, math.floor

local NULL = setmetatable({}, { __tostring = function() return "null" end })

---------------------------------------------------------------- encoder
local ESCAPES = { ['"'] = '\\"', ['\\'] = '\\\\', ['\b'] = '\\b', ['\f'] = '\\f',
                  ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
local function escape_char(c)
  return ESCAPES[c] or format("\\u%04x", byte(c))
end

local encode_value

local function encode_string(s, buf, n)
  n = n + 1; buf[n] = '"'
  n = n + 1; buf[n] = gsub(s, '[%c"\\]', escape_char)
  n = n + 1; buf[n] = '"'
  return n
end

local function encode_table(t, buf, n)
  if t == NULL then n = n + 1; buf[n] = "null"; return n end
  if t[1] ~= nil or next(t) == nil then -- array
    n = n + 1; buf[n] = "["
    for i = 1, #t do
      if i > 1 then n = n + 1; buf[n] = "," end
      n = encode_value(t[i], buf, n)
    end
    n = n + 1; buf[n] = "]"
    return n
  end
  local keys, nk = {}, 0
  for k in pairs(t) do
    if type(k) ~= "string" then error("json: object key is not a string") end
    nk = nk + 1; keys[nk] = k
  end
  sort(keys)
  n = n + 1; buf[n] = "{"
  for i = 1, nk do
    if i > 1 then n = n + 1; buf[n] = "," end
    local k = keys[i]
    n = encode_string(k, buf, n)
    n = n + 1; buf[n] = ":"
    n = encode_value(t[k], buf, n)
  end
  n = n + 1; buf[n] = "}"
  return n
end

function encode_value(v, buf, n)
  local t = type(v)
  if t == "string" then return encode_string(v, buf, n)
  elseif t == "number" then
    n = n + 1
    if v == floor(v) and v > -1e15 and v < 1e15 then buf[n] = format("%d", v)
    else buf[n] = format("%.14g", v) end
    return n
  elseif t == "boolean" then n = n + 1; buf[n] = v and "true" or "false"; return n
  elseif t == "table" then return encode_table(v, buf, n)
  end
  error("json: cannot encode a " .. t)
end

local function encode(v)
  local buf = {}
  local n = encode_value(v, buf, 0)
  return concat(buf, "", 1, n)
end

---------------------------------------------------------------- decoder
local decode_value

local function skip_ws(s, i)
  local _, e = find(s, "^[ \t\r\n]*", i)
  return e + 1
end

local function decode_error(s, i, what)
  error(format("json: %s at position %d near '%s'", what, i, sub(s, i, i + 10)))
end

local ESCAPED = { [34] = '"', [92] = "\\", [47] = "/", [98] = "\b", [102] = "\f",
                  [110] = "\n", [114] = "\r", [116] = "\t" }

local function decode_string(s, i) -- i is just after the opening quote
  local parts, np = nil, 0
  local start = i
  while true do
    local j = find(s, '["\\]', i)
    if not j then decode_error(s, start, "unterminated string") end
    if byte(s, j) == 34 then
      if not parts then return sub(s, start, j - 1), j + 1 end
      np = np + 1; parts[np] = sub(s, i, j - 1)
      return concat(parts, "", 1, np), j + 1
    end
    parts = parts or {}
    np = np + 1; parts[np] = sub(s, i, j - 1)
    local e = byte(s, j + 1)
    if e == 117 then -- \uXXXX, ASCII range only
      local code = tonumber(sub(s, j + 2, j + 5), 16)
      if not code or code > 127 then decode_error(s, j, "unsupported \\u escape") end
      np = np + 1; parts[np] = char(code)
      i = j + 6
    else
      local c = ESCAPED[e]
      if not c then decode_error(s, j, "bad escape") end
      np = np + 1; parts[np] = c
      i = j + 2
    end
  end
end

local function decode_array(s, i) -- i is just after '['
  local arr, n = {}, 0
  i = skip_ws(s, i)
  if byte(s, i) == 93 then return arr, i + 1 end
  while true do
    local v
    v, i = decode_value(s, i)
    n = n + 1; arr[n] = v
    i = skip_ws(s, i)
    local c = byte(s, i)
    if c == 93 then return arr, i + 1 end
    if c ~= 44 then decode_error(s, i, "expected ',' or ']'") end
    i = skip_ws(s, i + 1)
  end
end

local function decode_object(s, i) -- i is just after '{'
  local obj = {}
  i = skip_ws(s, i)
  if byte(s, i) == 125 then return obj, i + 1 end
  while true do
    if byte(s, i) ~= 34 then decode_error(s, i, "expected a key") end
    local k
    k, i = decode_string(s, i + 1)
    i = skip_ws(s, i)
    if byte(s, i) ~= 58 then decode_error(s, i, "expected ':'") end
    local v
    v, i = decode_value(s, skip_ws(s, i + 1))
    obj[k] = v
    i = skip_ws(s, i)
    local c = byte(s, i)
    if c == 125 then return obj, i + 1 end
    if c ~= 44 then decode_error(s, i, "expected ',' or '}'") end
    i = skip_ws(s, i + 1)
  end
end

function decode_value(s, i)
  local c = byte(s, i)
  if c == 123 then return decode_object(s, i + 1)
  elseif c == 91 then return decode_array(s, i + 1)
  elseif c == 34 then return decode_string(s, i + 1)
  elseif c == 116 and sub(s, i, i + 3) == "true" then return true, i + 4
  elseif c == 102 and sub(s, i, i + 4) == "false" then return false, i + 5
  elseif c == 110 and sub(s, i, i + 3) == "null" then return NULL, i + 4
  end
  local b, e = find(s, "^-?%d+%.?%d*[eE]?[-+]?%d*", i)
  if not b then decode_error(s, i, "unexpected character") end
  local v = tonumber(sub(s, b, e))
  if not v then decode_error(s, i, "bad number") end
  return v, e + 1
end

local function decode(s)
  local v, i = decode_value(s, skip_ws(s, 1))
  i = skip_ws(s, i)
  if i <= #s then decode_error(s, i, "trailing characters") end
  return v
end

---------------------------------------------------------------- the document
local seed = 7
local function rand(n)
  seed = (seed * 16807) % 2147483647
  return seed % n
end
local NAMES = { "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John",
                "Niklaus", "Margaret", "Ken", "Radia" }
local CITIES = { "Zurich", "Oslo", "Lisbon", "Kyoto", "Austin", "Nairobi", "Lima", "Perth" }
local TAGS = { "admin", "beta", "ops", "dev", "qa", "sales", "legal" }

local records = {}
for i = 1, N do
  local ntags = rand(4)
  local tags = {}
  for k = 1, ntags do tags[k] = TAGS[rand(#TAGS) + 1] end
  local name = NAMES[rand(#NAMES) + 1]
  records[i] = {
    id = i,
    name = name .. " " .. NAMES[rand(#NAMES) + 1],
    email = name .. "." .. rand(10000) .. "@example.org",
    score = rand(100000) / 8 - 2000,
    ratio = rand(1000) / 1000,
    active = rand(2) == 1,
    manager = rand(5) == 0 and NULL or rand(N) + 1,
    tags = tags,
    address = { city = CITIES[rand(#CITIES) + 1], zip = format("%05d", rand(100000)),
                lines = { "Street " .. rand(300), "Floor " .. rand(20) } },
    note = "said \"hi\"\tthen\\left\nline " .. rand(50) .. "\1",
  }
end
local doc = { version = 3, generated = "tracejit bench", records = records }

---------------------------------------------------------------- round trip
local text = encode(doc)
local back = decode(text)
local again = encode(back)
if again ~= text then error("json: re-encoding the decoded document changed it") end

-- walk the decoded data
local ids, scores, ntags, nnull, nactive = 0, 0, 0, 0, 0
for i, r in ipairs(back.records) do
  if r.id ~= i then error("json: record " .. i .. " has the wrong id") end
  ids = ids + r.id
  scores = scores + r.score * 8
  ntags = ntags + #r.tags
  if r.manager == NULL then nnull = nnull + 1 end
  if r.active then nactive = nactive + 1 end
  if sub(r.note, 1, 4) ~= "said" or byte(r.note, -1) ~= 1 then error("json: note mangled") end
end
local h = 0
for k = 1, #text, 61 do h = (h * 31 + byte(text, k)) % 1000003 end

local result = format("%d %d %d %d %d %d %d", #text, h, ids, scores, ntags, nnull, nactive)
local expected = {
  [200] = "53240 829294 20100 7273944 314 47 101",
  [16000] = "4303107 488010 128008000 545975290 24019 3221 8155",
}
if expected[N] and result ~= expected[N] then
  error("json: got " .. result .. ", expected " .. expected[N])
end
io.write("json ", result, "\n")
