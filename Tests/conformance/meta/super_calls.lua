-- explicit super calls through several inheritance levels
local A = {}
A.__index = A
function A.new(cls) return setmetatable({log = {}}, cls) end
function A:hello() self.log[#self.log + 1] = "A"; return self end
local B = setmetatable({}, {__index = A})
B.__index = B
function B:hello() self.log[#self.log + 1] = "B"; return A.hello(self) end
local C = setmetatable({}, {__index = B})
C.__index = C
function C:hello() self.log[#self.log + 1] = "C"; return B.hello(self) end
local D = setmetatable({}, {__index = C})
D.__index = D
local d = A.new(D)
print(table.concat(d:hello().log, ">"))
function D:hello() self.log[#self.log + 1] = "D"; return C.hello(self) end
d.log = {}
print(table.concat(d:hello().log, ">"))
print(rawget(D, "new"), D.new == A.new)
