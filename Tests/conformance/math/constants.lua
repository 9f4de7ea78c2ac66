-- the math table of Lua 5.1 (sorted names, LuaJIT extras excluded)
local expected = {"abs", "acos", "asin", "atan", "atan2", "ceil", "cos", "cosh", "deg", "exp", "floor", "fmod",
  "frexp", "huge", "ldexp", "log", "log10", "max", "min", "modf", "pi", "pow", "rad", "random", "randomseed",
  "sin", "sinh", "sqrt", "tan", "tanh"}
local missing = {}
for _, k in ipairs(expected) do if math[k] == nil then missing[#missing + 1] = k end end
print(#expected, #missing)
print(type(math.pi), type(math.huge), math.pi > 3.14159 and math.pi < 3.1416)
