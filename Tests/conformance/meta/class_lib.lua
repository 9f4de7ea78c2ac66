-- a small class library with inheritance, super calls and tostring
local function class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, {__index = parent}) end
  c.super = parent
  c.new = function(...)
    local o = setmetatable({}, c)
    if o.init then o:init(...) end
    return o
  end
  c.__tostring = function(o) return o:describe() end
  return c
end
local Animal = class()
function Animal:init(name, sound) self.name = name; self.sound = sound or "..." end
function Animal:speak() return self.name .. " says " .. self.sound end
function Animal:describe() return "Animal(" .. self.name .. ")" end
local Dog = class(Animal)
function Dog:init(name) Animal.init(self, name, "woof"); self.tricks = {} end
function Dog:learn(t) self.tricks[#self.tricks + 1] = t; return self end
function Dog:describe() return "Dog(" .. self.name .. ", " .. #self.tricks .. " tricks)" end
local Puppy = class(Dog)
function Puppy:speak() return Dog.speak(self) .. " (squeaky)" end
local a = Animal.new("cat", "meow")
local d = Dog.new("rex"):learn("sit"):learn("roll")
local p = Puppy.new("bit")
print(a:speak()); print(d:speak()); print(p:speak())
print(tostring(a)); print(d)
-- __tostring is looked up raw in the metatable: Puppy has its own copy from class()
print(p)
print(getmetatable(p) == Puppy, Puppy.super == Dog, Dog.super == Animal)
-- isinstance via the metatable chain
local function isa(o, c)
  local m = getmetatable(o)
  while m do if m == c then return true end m = m.super end
  return false
end
print(isa(p, Animal), isa(p, Dog), isa(d, Puppy), isa(a, Dog))
-- method missing
print(pcall(function() return a:learn("x") end))
