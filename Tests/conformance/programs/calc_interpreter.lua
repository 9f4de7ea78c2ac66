-- a tiny language: tokenizer, recursive-descent parser to an AST, and a tree-walking evaluator
local function tokenize(src)
  local toks, i = {}, 1
  while i <= #src do
    local c = src:sub(i, i)
    if c:match("%s") then i = i + 1
    elseif c == "#" then i = (src:find("\n", i) or #src) + 1
    elseif c:match("%d") then
      local num = src:match("^%d+%.?%d*", i)
      toks[#toks + 1] = {t = "num", v = tonumber(num)}; i = i + #num
    elseif c:match("[%a_]") then
      local id = src:match("^[%a_][%w_]*", i)
      local kw = {let = true, ["if"] = true, ["then"] = true, ["else"] = true, ["end"] = true, fn = true, ["while"] = true, ["do"] = true, print = true}
      toks[#toks + 1] = {t = kw[id] and id or "id", v = id}; i = i + #id
    else
      local two = src:sub(i, i + 1)
      if two == "==" or two == "<=" or two == ">=" or two == "~=" then toks[#toks + 1] = {t = two}; i = i + 2
      elseif c:match("[-+*/%%()<>=,;{}]") then toks[#toks + 1] = {t = c}; i = i + 1
      else error("unexpected character '" .. c .. "' at " .. i, 0) end
    end
  end
  toks[#toks + 1] = {t = "eof"}
  return toks
end

local Parser = {}
Parser.__index = Parser
local function parser(toks) return setmetatable({toks = toks, p = 1}, Parser) end
function Parser:peek() return self.toks[self.p].t end
function Parser:next() local t = self.toks[self.p]; self.p = self.p + 1; return t end
function Parser:expect(t) local tok = self:next(); if tok.t ~= t then error("expected " .. t .. " got " .. tok.t, 0) end return tok end
local prec = {["=="] = 1, ["~="] = 1, ["<"] = 1, ["<="] = 1, [">"] = 1, [">="] = 1, ["+"] = 2, ["-"] = 2, ["*"] = 3, ["/"] = 3, ["%"] = 3}
function Parser:primary()
  local tok = self:next()
  if tok.t == "num" then return {k = "num", v = tok.v}
  elseif tok.t == "id" then
    if self:peek() == "(" then
      self:next()
      local args = {}
      if self:peek() ~= ")" then repeat args[#args + 1] = self:expr(0) until self:peek() ~= "," or not self:next() end
      self:expect(")")
      return {k = "call", name = tok.v, args = args}
    end
    return {k = "var", name = tok.v}
  elseif tok.t == "(" then local e = self:expr(0); self:expect(")"); return e
  elseif tok.t == "-" then return {k = "neg", e = self:primary()}
  elseif tok.t == "fn" then
    self:expect("(")
    local params = {}
    if self:peek() ~= ")" then repeat params[#params + 1] = self:expect("id").v until self:peek() ~= "," or not self:next() end
    self:expect(")")
    return {k = "fn", params = params, body = self:block()}
  elseif tok.t == "if" then
    local c = self:expr(0); self:expect("then")
    local a = self:expr(0); self:expect("else")
    local b = self:expr(0); self:expect("end")
    return {k = "if", c = c, a = a, b = b}
  end
  error("unexpected token " .. tok.t, 0)
end
function Parser:expr(minp)
  local lhs = self:primary()
  while prec[self:peek()] and prec[self:peek()] > minp do
    local op = self:next().t
    local rhs = self:expr(prec[op])
    lhs = {k = "bin", op = op, l = lhs, r = rhs}
  end
  return lhs
end
function Parser:block()
  self:expect("{")
  local stmts = {}
  while self:peek() ~= "}" do stmts[#stmts + 1] = self:stmt() end
  self:expect("}")
  return stmts
end
function Parser:stmt()
  local t = self:peek()
  local s
  if t == "let" then self:next(); local name = self:expect("id").v; self:expect("="); s = {k = "let", name = name, e = self:expr(0)}
  elseif t == "print" then self:next(); s = {k = "print", e = self:expr(0)}
  elseif t == "while" then self:next(); local c = self:expr(0); self:expect("do"); s = {k = "while", c = c, body = self:block()}
  elseif t == "id" and self.toks[self.p + 1].t == "=" then local name = self:next().v; self:next(); s = {k = "set", name = name, e = self:expr(0)}
  else s = {k = "expr", e = self:expr(0)} end
  if self:peek() == ";" then self:next() end
  return s
end

local Env = {}
Env.__index = Env
local function env(parent) return setmetatable({vars = {}, parent = parent}, Env) end
function Env:lookup(n) local e = self while e do if e.vars[n] ~= nil then return e end e = e.parent end end
function Env:get(n) local e = self:lookup(n) if not e then error("undefined variable " .. n, 0) end return e.vars[n] end
local out = {}
local eval, exec
local ops = {
  ["+"] = function(a, b) return a + b end, ["-"] = function(a, b) return a - b end,
  ["*"] = function(a, b) return a * b end, ["/"] = function(a, b) if b == 0 then error("division by zero", 0) end return a / b end,
  ["%"] = function(a, b) return a % b end,
  ["=="] = function(a, b) return a == b and 1 or 0 end, ["~="] = function(a, b) return a ~= b and 1 or 0 end,
  ["<"] = function(a, b) return a < b and 1 or 0 end, ["<="] = function(a, b) return a <= b and 1 or 0 end,
  [">"] = function(a, b) return a > b and 1 or 0 end, [">="] = function(a, b) return a >= b and 1 or 0 end,
}
function eval(n, e)
  local k = n.k
  if k == "num" then return n.v
  elseif k == "var" then return e:get(n.name)
  elseif k == "neg" then return -eval(n.e, e)
  elseif k == "bin" then return ops[n.op](eval(n.l, e), eval(n.r, e))
  elseif k == "if" then if eval(n.c, e) ~= 0 then return eval(n.a, e) else return eval(n.b, e) end
  elseif k == "fn" then return {params = n.params, body = n.body, env = e}
  elseif k == "call" then
    local f = e:get(n.name)
    if type(f) ~= "table" then error(n.name .. " is not a function", 0) end
    local fe = env(f.env)
    for i, p in ipairs(f.params) do fe.vars[p] = eval(n.args[i], e) end
    local r = 0
    for _, s in ipairs(f.body) do r = exec(s, fe) end
    return r
  end
end
function exec(s, e)
  if s.k == "let" then e.vars[s.name] = eval(s.e, e); return 0
  elseif s.k == "set" then local t = e:lookup(s.name) if not t then error("assignment to undeclared " .. s.name, 0) end t.vars[s.name] = eval(s.e, e); return 0
  elseif s.k == "print" then out[#out + 1] = tostring(eval(s.e, e)); return 0
  elseif s.k == "while" then while eval(s.c, e) ~= 0 do for _, st in ipairs(s.body) do exec(st, e) end end return 0
  else return eval(s.e, e) end
end
local function run(src)
  out = {}
  local ok, err = pcall(function()
    local p = parser(tokenize(src))
    local g = env(nil)
    while p:peek() ~= "eof" do exec(p:stmt(), g) end
  end)
  return table.concat(out, " ") .. (ok and "" or (" !error: " .. err))
end
print(run("print 1 + 2 * 3; print (1 + 2) * 3; print 10 - 4 - 3; print 2 * -3"))
print(run("let x = 5; let y = x * x; print y; x = x + 1; print x % 4"))
print(run("let fact = fn(n) { if n <= 1 then 1 else n * fact(n - 1) end }; print fact(10)"))
print(run("let fib = fn(n) { if n < 2 then n else fib(n - 1) + fib(n - 2) end }; print fib(20)"))
print(run("let i = 0; let s = 0; while i < 100 do { i = i + 1; s = s + i }; print s"))
print(run("let mk = fn(k) { fn(x) { x + k } }; let add3 = mk(3); print add3(4)"))
print(run("# comments are skipped\nprint 7 / 2; print 7 == 7; print 3 ~= 3"))
print(run("print 1 / 0"))
print(run("print z"))
print(run("let f = 3; print f(1)"))
print(run("print (1 + 2"))
print(run("print 1 $ 2"))
print(run("q = 1"))
