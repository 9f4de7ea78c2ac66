-- strings: build a synthetic log with string.format and concatenation, then
-- parse and rewrite it with the pattern functions: match with captures, find
-- (plain and pattern), gmatch, gsub with string, table and function
-- replacements, plus upper/lower/rep/reverse/sub/byte.
-- Measures: string creation and interning, the pattern matcher, library calls.
-- Size: N log lines.
local N = tonumber(arg and arg[1]) or 64000
local format, find, match, gsub, gmatch = string.format, string.find, string.match, string.gsub, string.gmatch
local sub, byte, upper, lower, rep, reverse = string.sub, string.byte, string.upper, string.lower, string.rep, string.reverse
local concat = table.concat

local seed = 12345
local function rand(n) -- 0 .. n-1
  seed = (seed * 16807) % 2147483647
  return seed % n
end

local WORDS = { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
                "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa",
                "quebec", "romeo", "sierra", "tango", "uniform", "victor", "whiskey", "xray" }
local LEVELS = { "INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR" }
local ACTIONS = { "login", "logout", "read", "write", "delete", "update" }

-- 1. build the log
local lines = {}
for i = 1, N do
  local nw = 3 + rand(6)
  local msg = {}
  for k = 1, nw do msg[k] = WORDS[rand(#WORDS) + 1] end
  lines[i] = format("2024-%02d-%02d %02d:%02d:%02d [%s] user=%s%d action=%s id=%d msg=\"%s\"",
    rand(12) + 1, rand(28) + 1, rand(24), rand(60), rand(60), LEVELS[rand(#LEVELS) + 1],
    WORDS[rand(#WORDS) + 1], rand(1000), ACTIONS[rand(#ACTIONS) + 1], rand(1000000),
    concat(msg, " "))
end

-- 2. parse every line with captures
local level_count = { INFO = 0, DEBUG = 0, WARN = 0, ERROR = 0 }
local idsum, month_sum, users = 0, 0, {}
local nusers = 0
for i = 1, N do
  local line = lines[i]
  local y, mo, d, lvl, user, action, id, msg =
    match(line, "^(%d+)%-(%d+)%-(%d+) %d+:%d+:%d+ %[(%u+)%] user=(%w+) action=(%a+) id=(%d+) msg=\"([^\"]*)\"$")
  if not y then error("strings: line " .. i .. " did not parse: " .. line) end
  level_count[lvl] = level_count[lvl] + 1
  idsum = (idsum + tonumber(id)) % 1000003
  month_sum = month_sum + tonumber(mo) * tonumber(d)
  if not users[user] then users[user] = true; nusers = nusers + 1 end
  if action == "delete" and not find(msg, "alpha", 1, true) then
    month_sum = month_sum + 1
  end
end

-- 3. rewrite: redact numbers, capitalise the first letter of words in messages,
--    map levels through a table, count words with gmatch
local LEVEL_CODE = { INFO = "I", DEBUG = "D", WARN = "W", ERROR = "E" }
local redacted, capital, words, h = 0, 0, 0, 0
for i = 1, N do
  local line = lines[i]
  local r, nr = gsub(line, "%d+", "#")
  redacted = redacted + nr
  r = gsub(r, "%[(%u+)%]", LEVEL_CODE)
  local q = match(r, "msg=\"(.*)\"")
  local cap, nc = gsub(q, "(%a)(%a*)", function(first, rest) return upper(first) .. rest end)
  capital = capital + nc
  for w in gmatch(cap, "%a+") do
    words = words + 1
    h = (h * 7 + byte(w, 1) + #w) % 1000003
  end
  local s, e = find(r, "action=%a+")
  h = (h + s * 3 + e) % 1000003
end

-- 4. strings built piece by piece, repeated, reversed and case-mapped
local acc = 0
for i = 1, N / 100 do
  local s = ""
  for k = 1, 60 do s = s .. sub(WORDS[(i + k) % #WORDS + 1], 1, 2) end
  local t = rep(s .. "-", 3)
  local u = upper(reverse(t))
  if lower(u) ~= reverse(t) then error("strings: case mapping mismatch") end
  acc = (acc + #t + byte(u, i % #u + 1)) % 1000003
end

local result = format("%d %d %d %d %d %d %d %d %d %d %d %d", level_count.INFO, level_count.DEBUG,
  level_count.WARN, level_count.ERROR, idsum, month_sum, nusers, redacted, capital, words, h, acc)
local expected = {
  [500] = "261 95 67 77 850725 47777 493 4000 2786 2786 45570 2201",
  [64000] = "32160 10671 10579 10590 990769 6031080 22299 512000 351925 351925 426115 280955",
  [80000] = "40164 13308 13311 13217 508928 7540922 23146 640000 440073 440073 838900 351148",
}
if expected[N] and result ~= expected[N] then
  error("strings: got " .. result .. ", expected " .. expected[N])
end
io.write("strings ", result, "\n")
