-- raytrace: a small ray tracer over spheres and a checkered floor with one
-- light, shadows and one level of reflection, built on a Vec3 class whose
-- arithmetic goes through metamethods (__add, __sub, __mul, __div, __unm)
-- and a Hit class ordered by __lt. Pixels are quantised to 0..255 and folded
-- into a checksum.
-- Measures: metamethod dispatch for arithmetic, short-lived small tables
-- (every vector operation allocates), method calls, float math and sqrt.
-- Size: the image is N x N pixels.
local N = tonumber(arg and arg[1]) or 480
local sqrt, floor = math.sqrt, math.floor

---------------------------------------------------------------- vectors
local Vec3 = {}
Vec3.__index = Vec3
local function vec(x, y, z) return setmetatable({ x = x, y = y, z = z }, Vec3) end
setmetatable(Vec3, { __call = function(_, x, y, z) return vec(x, y, z) end })

function Vec3.__add(a, b) return vec(a.x + b.x, a.y + b.y, a.z + b.z) end
function Vec3.__sub(a, b) return vec(a.x - b.x, a.y - b.y, a.z - b.z) end
function Vec3.__mul(a, b)
  if type(a) == "number" then return vec(a * b.x, a * b.y, a * b.z) end
  if type(b) == "number" then return vec(a.x * b, a.y * b, a.z * b) end
  return vec(a.x * b.x, a.y * b.y, a.z * b.z) -- component-wise (colours)
end
function Vec3.__div(a, s) return vec(a.x / s, a.y / s, a.z / s) end
function Vec3.__unm(a) return vec(-a.x, -a.y, -a.z) end
function Vec3:dot(b) return self.x * b.x + self.y * b.y + self.z * b.z end
function Vec3:length() return sqrt(self:dot(self)) end
function Vec3:normalized() return self / self:length() end

---------------------------------------------------------------- hits, ordered by distance
local Hit = {}
Hit.__index = Hit
Hit.__lt = function(a, b) return a.t < b.t end
local function hit(t, point, normal, object) return setmetatable({ t = t, point = point, normal = normal, object = object }, Hit) end

---------------------------------------------------------------- scene objects
local Sphere = {}
Sphere.__index = Sphere
function Sphere.new(center, radius, color, reflect)
  return setmetatable({ center = center, radius = radius, color = color, reflect = reflect }, Sphere)
end
function Sphere:intersect(origin, dir)
  local oc = origin - self.center
  local b = oc:dot(dir)
  local c = oc:dot(oc) - self.radius * self.radius
  local disc = b * b - c
  if disc < 0 then return nil end
  local sq = sqrt(disc)
  local t = -b - sq
  if t < 1e-6 then t = -b + sq end
  if t < 1e-6 then return nil end
  local p = origin + dir * t
  return hit(t, p, (p - self.center) / self.radius, self)
end
function Sphere:color_at(p) return self.color end

local Plane = {}
Plane.__index = Plane
function Plane.new(y, reflect) return setmetatable({ y = y, reflect = reflect, normal = Vec3(0, 1, 0) }, Plane) end
function Plane:intersect(origin, dir)
  if dir.y > -1e-9 then return nil end
  local t = (self.y - origin.y) / dir.y
  if t < 1e-6 then return nil end
  return hit(t, origin + dir * t, self.normal, self)
end
function Plane:color_at(p)
  if (floor(p.x) + floor(p.z)) % 2 == 0 then return Vec3(0.9, 0.9, 0.9) end
  return Vec3(0.2, 0.2, 0.25)
end

local objects = {
  Plane.new(-1, 0.2),
  Sphere.new(Vec3(0, 0, 5), 1, Vec3(0.9, 0.2, 0.2), 0.3),
  Sphere.new(Vec3(-2.2, 0.2, 6.5), 1.2, Vec3(0.2, 0.8, 0.3), 0.1),
  Sphere.new(Vec3(2.1, -0.3, 4.2), 0.7, Vec3(0.3, 0.4, 0.95), 0.5),
  Sphere.new(Vec3(0.6, 1.6, 7.5), 0.9, Vec3(0.95, 0.85, 0.3), 0.0),
}
local light = Vec3(-4, 6, 0)
local AMBIENT = 0.12

local function nearest(origin, dir)
  local best
  for i = 1, #objects do
    local h = objects[i]:intersect(origin, dir)
    if h and (best == nil or h < best) then best = h end
  end
  return best
end

local function trace(origin, dir, depth)
  local h = nearest(origin, dir)
  if not h then
    local s = 0.5 * (dir.y + 1)
    return Vec3(0.6, 0.7, 0.9) * s + Vec3(1, 1, 1) * (0.3 * (1 - s))
  end
  local to_light = light - h.point
  local dist = to_light:length()
  local l = to_light / dist
  local diffuse = h.normal:dot(l)
  if diffuse < 0 then diffuse = 0 end
  local shadow = nearest(h.point + h.normal * 1e-4, l)
  if shadow and shadow.t < dist then diffuse = diffuse * 0.3 end
  local color = h.object:color_at(h.point) * (AMBIENT + diffuse)
  local refl = h.object.reflect
  if depth > 0 and refl > 0 then
    local r = dir - h.normal * (2 * dir:dot(h.normal))
    color = color * (1 - refl) + trace(h.point + h.normal * 1e-4, r:normalized(), depth - 1) * refl
  end
  return color
end

local function quantise(c)
  if c < 0 then c = 0 elseif c > 1 then c = 1 end
  return floor(c * 255 + 0.5)
end

local eye = Vec3(0, 0.4, 0)
local sum, checksum = 0, 0
for py = 0, N - 1 do
  for px = 0, N - 1 do
    local dir = Vec3((px + 0.5) / N * 2 - 1, 1 - (py + 0.5) / N * 2, 1.5):normalized()
    local c = trace(eye, dir, 1)
    local r, g, b = quantise(c.x), quantise(c.y), quantise(c.z)
    sum = sum + r + g + b
    checksum = (checksum * 31 + r * 65536 + g * 256 + b) % 1000003
  end
end

local result = string.format("%d %d", sum, checksum)
local expected = { [20] = "147750 350319", [160] = "9518976 420457", [480] = "85652156 487711" }
if expected[N] then
  if result ~= expected[N] then error("raytrace: got " .. result .. ", expected " .. expected[N]) end
elseif sum < 0 or sum > N * N * 765 then
  error("raytrace: impossible pixel sum " .. result)
end
io.write("raytrace ", result, "\n")
