-- sqrt, pow, exp, log, log10
local function r(x) return string.format("%.10g", x) end
print(math.sqrt(16), math.sqrt(2), math.sqrt(0), math.sqrt(-0.0), math.sqrt(1/0))
print(math.sqrt(-1) ~= math.sqrt(-1))
print(math.pow(2, 10), math.pow(2, 0.5), math.pow(-8, 1/3) ~= math.pow(-8, 1/3), math.pow(0, 0))
print(r(math.exp(0)), r(math.exp(1)), r(math.exp(-1)), math.exp(1000), math.exp(-1000))
print(math.log(1), r(math.log(10)), math.log(0), math.log(-1) ~= math.log(-1), math.log(1/0))
print(math.log10(1000), math.log10(1), r(math.log10(2)), math.log10(0))
print(r(math.log(math.exp(2))), math.exp(math.log(5)))
