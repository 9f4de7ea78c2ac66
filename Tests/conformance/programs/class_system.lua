-- a class system with inheritance, mixins, properties, tostring and class methods
local Object = {}
Object.__index = Object
Object.__name = "Object"
function Object:extend(name)
  local cls = {}
  for k, v in pairs(self) do if k:find("^__") then cls[k] = v end end
  cls.__index = cls
  cls.__name = name
  cls.super = self
  return setmetatable(cls, self)
end
function Object:new(...)
  local o = setmetatable({}, self)
  o:init(...)
  return o
end
function Object:init() end
function Object:is(cls)
  local m = getmetatable(self)
  while m do if rawequal(m, cls) then return true end m = rawget(m, "super") end
  return false
end
function Object:include(mixin) for k, v in pairs(mixin) do self[k] = v end return self end
function Object:__tostring() return self.__name .. "()" end

local Comparable = {
  __lt = function(a, b) return a:compare(b) < 0 end,
  __le = function(a, b) return a:compare(b) <= 0 end,
  __eq = function(a, b) return a:compare(b) == 0 end,
}

local Shape = Object:extend("Shape")
function Shape:init(name) self.name = name; Shape.count = (Shape.count or 0) + 1 end
function Shape:area() return 0 end
function Shape:compare(o) return self:area() - o:area() end
function Shape:__tostring() return string.format("%s[%s area=%.2f]", self.__name, self.name, self:area()) end
Shape:include(Comparable)

local Rect = Shape:extend("Rect")
function Rect:init(name, w, h) Rect.super.init(self, name); self.w, self.h = w, h end
function Rect:area() return self.w * self.h end

local Square = Rect:extend("Square")
function Square:init(name, s) Square.super.init(self, name, s, s) end

local Circle = Shape:extend("Circle")
function Circle:init(name, r) Circle.super.init(self, name); self.r = r end
function Circle:area() return math.pi * self.r ^ 2 end

-- metamethods must be copied down at extend time: re-copy after include
for _, cls in ipairs({Rect, Square, Circle}) do
  for k, v in pairs(Comparable) do cls[k] = v end
  cls.__tostring = Shape.__tostring
end

local shapes = {Rect:new("r1", 3, 4), Square:new("s1", 3), Circle:new("c1", 1), Square:new("s2", 2), Rect:new("r2", 1, 9)}
for _, s in ipairs(shapes) do print(s) end
table.sort(shapes, function(a, b) if a == b then return a.name < b.name end return a < b end)
local names = {}
for i, s in ipairs(shapes) do names[i] = s.name end
print(table.concat(names, " < "))
print(shapes[1]:is(Square), shapes[1]:is(Rect), shapes[1]:is(Shape), shapes[1]:is(Circle))
print(Square:new("a", 3) == Rect:new("b", 1, 9), Square:new("a", 3) == Rect:new("b", 1, 8))
print(Shape.count)
print(tostring(Object:new()))
print(pcall(function() return Circle:new("x", 1) < 5 end))
