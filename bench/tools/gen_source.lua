-- gen_source.lua: writes a large, deterministic Lua 5.1 source file of varied,
-- realistic code for measuring compile throughput (bench/compile_throughput.sh).
--
--   lua5.4 bench/tools/gen_source.lua OUT.lua [MEGABYTES=8] [SEED=1]
--
-- The file is a sequence of "modules": each is a closure stored in a table
-- slot of the main chunk (so the main function stays small and no function
-- exceeds Lua's limits on locals, upvalues or constants). Modules contain
-- local constants of every literal form, local and method functions with
-- varargs, nested closures capturing upvalues, numeric/generic for, while,
-- repeat, if/elseif chains, table constructors (array, record, nested,
-- computed keys), string and table call syntax, operators of every
-- precedence level, comments of both kinds and long strings. Running the
-- file only defines the modules (nothing is called), so it also executes.
-- Uses only Lua 5.1 syntax that Lua 5.4 also accepts.
local out_path = arg and arg[1]
if not out_path then
  io.stderr:write("usage: gen_source.lua OUT.lua [MEGABYTES] [SEED]\n")
  os.exit(2)
end
local target = (tonumber(arg[2]) or 8) * 1000000
local seed = tonumber(arg[3]) or 1

local function rand(n) -- 0 .. n-1, deterministic across Lua versions
  seed = (seed * 16807) % 2147483647
  return seed % n
end
local function pick(t) return t[rand(#t) + 1] end
local format, rep, concat = string.format, string.rep, table.concat

local buf, nbuf, size = {}, 0, 0
local function emit(s)
  nbuf = nbuf + 1; buf[nbuf] = s; size = size + #s
end

local NOUNS = { "count", "total", "name", "value", "index", "buffer", "node", "item", "state",
                "offset", "width", "height", "cache", "entry", "result", "limit", "key", "list",
                "queue", "score", "label", "token", "depth", "weight", "color", "path" }
local VERBS = { "get", "set", "update", "compute", "find", "make", "parse", "emit", "check",
                "visit", "merge", "split", "load", "store", "reset", "apply" }
local WORDS = { "alpha", "beta", "gamma", "delta", "error", "warning", "ready", "done", "open",
                "closed", "pending", "hello world", "the quick brown fox", "lorem ipsum", "%d items",
                "key=value", "tab\tseparated", "line\nbreak", "quote \"q\"", "back\\slash", "\\065BC" }
local GLOBALS = { "print", "tostring", "tonumber", "type", "pairs", "ipairs", "select",
                  "setmetatable", "getmetatable", "rawget", "rawset", "error", "assert", "pcall" }
local LIBCALLS = { "string.format(%q, %s)", "string.sub(%s, 1, 3)", "string.rep(%s, 2)",
                   "math.floor(%s)", "math.max(%s, 0)", "math.min(%s, 100)", "math.abs(%s)",
                   "table.concat(%s, \",\")", "string.len(%s)", "tostring(%s)", "#%s" }

local function ident()
  return pick(NOUNS) .. (rand(3) == 0 and tostring(rand(100)) or "")
end

local function number_literal()
  local k = rand(8)
  if k == 0 then return tostring(rand(1000))
  elseif k == 1 then return format("%d.%d", rand(100), rand(1000))
  elseif k == 2 then return format("0x%X", rand(65536))
  elseif k == 3 then return format("%de%d", rand(9) + 1, rand(10) - 5)
  elseif k == 4 then return format("%d.%de-%d", rand(10), rand(100), rand(8))
  elseif k == 5 then return "0"
  else return tostring(rand(20)) end
end

local function string_literal()
  local k = rand(6)
  local w = pick(WORDS)
  if k == 0 then return format("%q", w)
  elseif k == 1 then
    local s = string.gsub(w, "[\\'\n\t\"]", { ["\\"] = "\\\\", ["'"] = "\\'", ["\n"] = "\\n", ["\t"] = "\\t", ['"'] = '"' })
    return "'" .. s .. "'"
  elseif k == 2 then return "[[" .. string.gsub(w, "[%[%]]", "") .. "]]"
  elseif k == 3 then return "[==[" .. w .. " ]] inside ]==]"
  else return '"' .. pick(NOUNS) .. "_" .. rand(1000) .. '"' end
end

-- expressions over the names in scope (vars: array of local names)
local function expr(vars, depth)
  depth = depth or 0
  local k = rand(depth > 2 and 4 or 14)
  if k == 0 then return number_literal()
  elseif k == 1 then return #vars > 0 and pick(vars) or number_literal()
  elseif k == 2 then return string_literal()
  elseif k == 3 then return pick({ "nil", "true", "false", "self_count", "M.config" })
  elseif k == 4 then return expr(vars, depth + 1) .. " " .. pick({ "+", "-", "*", "/", "%", "^" }) .. " " .. expr(vars, depth + 1)
  elseif k == 5 then return "(" .. expr(vars, depth + 1) .. " " .. pick({ "<", "<=", ">", ">=", "==", "~=" }) .. " " .. expr(vars, depth + 1) .. ")"
  elseif k == 6 then return expr(vars, depth + 1) .. " and " .. expr(vars, depth + 1) .. " or " .. expr(vars, depth + 1)
  elseif k == 7 then return "not " .. expr(vars, depth + 1)
  elseif k == 8 then return "-" .. (#vars > 0 and pick(vars) or "x")
  elseif k == 9 then return expr(vars, depth + 1) .. " .. " .. string_literal()
  elseif k == 10 then return format(pick(LIBCALLS), #vars > 0 and pick(vars) or "x", #vars > 0 and pick(vars) or "x")
  elseif k == 11 then return pick(VERBS) .. "_" .. pick(NOUNS) .. "(" .. expr(vars, depth + 1) .. ", " .. expr(vars, depth + 1) .. ")"
  elseif k == 12 then return (#vars > 0 and pick(vars) or "t") .. "." .. pick(NOUNS) .. "[ " .. expr(vars, depth + 1) .. " ]"
  else return "{ " .. expr(vars, depth + 1) .. ", " .. pick(NOUNS) .. " = " .. expr(vars, depth + 1) .. " }" end
end

local function table_constructor(vars, indent)
  local k = rand(4)
  local items = {}
  if k == 0 then
    for i = 1, rand(12) + 1 do items[i] = number_literal() end
    return "{ " .. concat(items, ", ") .. " }"
  elseif k == 1 then
    for i = 1, rand(6) + 1 do items[i] = pick(NOUNS) .. i .. " = " .. expr(vars, 1) end
    return "{\n" .. indent .. "  " .. concat(items, ",\n" .. indent .. "  ") .. ",\n" .. indent .. "}"
  elseif k == 2 then
    for i = 1, rand(5) + 1 do items[i] = "[ " .. string_literal() .. " ] = " .. number_literal() end
    return "{ " .. concat(items, "; ") .. " }"
  else
    for i = 1, rand(4) + 1 do
      items[i] = "{ id = " .. rand(10000) .. ", name = " .. string_literal() .. ", tags = { " ..
                 string_literal() .. ", " .. string_literal() .. " } }"
    end
    return "{\n" .. indent .. "  " .. concat(items, ",\n" .. indent .. "  ") .. "\n" .. indent .. "}"
  end
end

local statement

local function block(vars, indent, n, depth)
  local lines = {}
  local scope = {}
  for i = 1, #vars do scope[i] = vars[i] end
  for i = 1, n do lines[i] = statement(scope, indent, depth) end
  return concat(lines)
end

function statement(vars, indent, depth)
  local k = rand(depth >= 3 and 6 or 16)
  if k == 0 or k == 1 then
    local name = ident()
    local s = indent .. "local " .. name .. " = " .. expr(vars) .. "\n"
    vars[#vars + 1] = name
    return s
  elseif k == 2 then
    local a, b = ident(), ident()
    local s = indent .. "local " .. a .. ", " .. b .. " = " .. expr(vars) .. ", " .. expr(vars) .. "\n"
    vars[#vars + 1] = a; vars[#vars + 1] = b
    return s
  elseif k == 3 then
    return indent .. (#vars > 0 and pick(vars) or "M.last") .. " = " .. expr(vars) .. "\n"
  elseif k == 4 then
    return indent .. pick(GLOBALS) .. "(" .. expr(vars) .. ")\n"
  elseif k == 5 then
    local r = rand(3)
    if r == 0 then return indent .. "-- " .. (string.gsub(pick(WORDS), "%c", " ")) .. ": " .. pick(VERBS) .. " the " .. pick(NOUNS) .. "\n"
    elseif r == 1 then return indent .. "--[[ " .. pick(VERBS) .. " " .. pick(NOUNS) .. "\n" .. indent .. "     (block comment) ]]\n"
    else return indent .. "M." .. pick(NOUNS) .. " = " .. table_constructor(vars, indent) .. "\n" end
  elseif k == 6 then
    local i = "i" .. depth
    local inner = { i }
    for x = 1, #vars do inner[#inner + 1] = vars[x] end
    return indent .. "for " .. i .. " = " .. rand(3) .. ", " .. expr(vars, 2) .. (rand(2) == 0 and ", " .. (rand(3) + 1) or "") .. " do\n" ..
           block(inner, indent .. "  ", rand(4) + 1, depth + 1) .. indent .. "end\n"
  elseif k == 7 then
    local kk, vv = "k" .. depth, "v" .. depth
    local inner = { kk, vv }
    for x = 1, #vars do inner[#inner + 1] = vars[x] end
    return indent .. "for " .. kk .. ", " .. vv .. " in " .. pick({ "pairs", "ipairs" }) .. "(" .. (#vars > 0 and pick(vars) or "M") .. ") do\n" ..
           block(inner, indent .. "  ", rand(4) + 1, depth + 1) .. indent .. "end\n"
  elseif k == 8 then
    local s = indent .. "if " .. expr(vars, 1) .. " then\n" .. block(vars, indent .. "  ", rand(3) + 1, depth + 1)
    for _ = 1, rand(3) do
      s = s .. indent .. "elseif " .. expr(vars, 1) .. " then\n" .. block(vars, indent .. "  ", rand(3) + 1, depth + 1)
    end
    if rand(2) == 0 then s = s .. indent .. "else\n" .. block(vars, indent .. "  ", rand(2) + 1, depth + 1) end
    return s .. indent .. "end\n"
  elseif k == 9 then
    return indent .. "while " .. expr(vars, 1) .. " do\n" .. block(vars, indent .. "  ", rand(3) + 1, depth + 1) ..
           indent .. "  if " .. expr(vars, 2) .. " then break end\n" .. indent .. "end\n"
  elseif k == 10 then
    return indent .. "repeat\n" .. block(vars, indent .. "  ", rand(3) + 1, depth + 1) .. indent .. "until " .. expr(vars, 1) .. "\n"
  elseif k == 11 then
    -- a nested closure capturing locals of the enclosing function
    local name = pick(VERBS) .. "_" .. pick(NOUNS) .. rand(100)
    local params = { "a", "b" }
    local inner = { "a", "b" }
    for x = 1, #vars do inner[#inner + 1] = vars[x] end
    local s = indent .. "local function " .. name .. "(" .. concat(params, ", ") .. ")\n" ..
              block(inner, indent .. "  ", rand(4) + 1, depth + 1) ..
              indent .. "  return " .. expr(inner) .. "\n" .. indent .. "end\n"
    vars[#vars + 1] = name
    return s
  elseif k == 12 then
    return indent .. "M.handlers[#M.handlers + 1] = function(event, ...)\n" ..
           indent .. "  local n = select(\"#\", ...)\n" ..
           block({ "event", "n" }, indent .. "  ", rand(3) + 1, depth + 1) ..
           indent .. "  return n, " .. expr({ "event", "n" }) .. "\n" .. indent .. "end\n"
  elseif k == 13 then
    return indent .. "do\n" .. block(vars, indent .. "  ", rand(3) + 1, depth + 1) .. indent .. "end\n"
  elseif k == 14 then
    local q = rand(3) -- string call syntax, long-string call syntax, plain call
    local open, close = ({ ' "', " [[", '("' })[q + 1], ({ '"', "]]", '")' })[q + 1]
    return indent .. pick({ "M.log", "M.emit", "M.trace" }) .. open .. pick(VERBS) .. " " .. pick(NOUNS) .. close .. "\n"
  else
    return indent .. "M.obj:" .. pick(VERBS) .. "(" .. expr(vars) .. ", " .. table_constructor(vars, indent) .. ")\n"
  end
end

local function module_text(id)
  local parts = {}
  parts[#parts + 1] = format("-- module %d: %s %s\nmodules[%d] = function(M, ...)\n", id, pick(VERBS), pick(NOUNS), id)
  parts[#parts + 1] = "  M = M or { handlers = {}, config = {}, obj = {} }\n"
  parts[#parts + 1] = "  local self_count = select(\"#\", ...)\n"
  local vars = { "self_count" }
  for i = 1, rand(4) + 2 do
    local name = "K_" .. pick(NOUNS) .. i
    parts[#parts + 1] = "  local " .. name .. " = " .. (rand(2) == 0 and number_literal() or string_literal()) .. "\n"
    vars[#vars + 1] = name
  end
  parts[#parts + 1] = "  local defaults = " .. table_constructor(vars, "  ") .. "\n"
  vars[#vars + 1] = "defaults"
  -- methods
  for _ = 1, rand(4) + 2 do
    local mname = pick(VERBS) .. "_" .. pick(NOUNS)
    local params = { "x", "y" }
    if rand(3) == 0 then params[#params + 1] = "..." end
    local inner = { "self", "x", "y" }
    for i = 1, #vars do inner[#inner + 1] = vars[i] end
    parts[#parts + 1] = "  function M" .. pick({ ":", "." }) .. mname .. "(" .. concat(params, ", ") .. ")\n"
    parts[#parts + 1] = block(inner, "    ", rand(6) + 2, 0)
    parts[#parts + 1] = "    return " .. expr(inner) .. (rand(2) == 0 and ", " .. expr(inner) or "") .. "\n  end\n"
  end
  parts[#parts + 1] = block(vars, "  ", rand(5) + 1, 1)
  parts[#parts + 1] = "  return M\nend\n\n"
  return concat(parts)
end

emit("-- Generated by bench/tools/gen_source.lua: deterministic test input for compile\n")
emit("-- throughput. Running it only defines the module closures.\n")
emit("local modules = {}\n\n")
local id = 0
while size < target do
  id = id + 1
  emit(module_text(id))
end
emit(format("return modules, %d\n", id))

local f = assert(io.open(out_path, "wb"))
f:write(concat(buf))
f:close()
io.write(format("gen_source: wrote %s: %d bytes, %d modules\n", out_path, size, id))
