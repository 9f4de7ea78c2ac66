-- a tokenizer for Lua source written in Lua, run over a sample program
local keywords = {}
for w in ([[and break do else elseif end false for function goto if in local nil not or repeat return then true until while]]):gmatch("%a+") do keywords[w] = true end
local function tokenize(src)
  local toks, i, line = {}, 1, 1
  local function add(kind, text) toks[#toks + 1] = {kind = kind, text = text, line = line} end
  while i <= #src do
    local c = src:sub(i, i)
    if c == "\n" then line = line + 1; i = i + 1
    elseif c:match("%s") then i = i + 1
    elseif src:match("^%-%-%[(=*)%[", i) then
      local eq = src:match("^%-%-%[(=*)%[", i)
      local close = "]" .. eq .. "]"
      local s, e = src:find(close, i, true)
      local body = src:sub(i, e)
      for _ in body:gmatch("\n") do line = line + 1 end
      i = e + 1
    elseif src:sub(i, i + 1) == "--" then
      i = (src:find("\n", i, true) or #src + 1)
    elseif src:match("^%[=*%[", i) then
      local eq = src:match("^%[(=*)%[", i)
      local s, e = src:find("]" .. eq .. "]", i, true)
      local text = src:sub(i, e)
      add("string", text)
      for _ in text:gmatch("\n") do line = line + 1 end
      i = e + 1
    elseif c == '"' or c == "'" then
      local j = i + 1
      while true do
        local d = src:sub(j, j)
        if d == "\\" then j = j + 2 elseif d == c then break elseif d == "" then error("unfinished string at line " .. line) else j = j + 1 end
      end
      add("string", src:sub(i, j))
      i = j + 1
    elseif c:match("%d") or (c == "." and src:sub(i + 1, i + 1):match("%d")) then
      local num = src:match("^0[xX]%x+", i) or src:match("^%d*%.?%d+[eE][-+]?%d+", i) or src:match("^%d+%.?%d*", i) or src:match("^%.%d+", i)
      add("number", num)
      i = i + #num
    elseif c:match("[%a_]") then
      local id = src:match("^[%w_]+", i)
      add(keywords[id] and "keyword" or "name", id)
      i = i + #id
    else
      local op = src:match("^%.%.%.", i) or src:match("^[=~<>]=", i) or src:match("^%.%.", i) or src:match("^::", i) or c
      add("op", op)
      i = i + #op
    end
  end
  return toks, line
end
local sample = [==[
-- sample program
local function fib(n) --[[ recursive
  fibonacci ]] if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
local t = {1, 2.5, 0x1F, 1e10, .5, "str", 'q\'s', [[long
string]], a = ..., b = #t}
for i = 1, 10 do t[i] = t[i] ~= nil and i .. "" or i >= 3 end
::label:: goto label
]==]
local toks, lines = tokenize(sample)
print(#toks, lines)
local counts = {}
for _, t in ipairs(toks) do counts[t.kind] = (counts[t.kind] or 0) + 1 end
local kinds = {}
for k in pairs(counts) do kinds[#kinds + 1] = k end
table.sort(kinds)
for _, k in ipairs(kinds) do io.write(k, "=", counts[k], " ") end
print()
for i = 1, 24 do io.write(toks[i].line, ":", toks[i].text, " ") end
print()
local last = toks[#toks]
print(last.kind, last.text, last.line)
-- a larger input
local big = string.rep(sample, 50)
local bt, bl = tokenize(big)
print(#bt, bl)
