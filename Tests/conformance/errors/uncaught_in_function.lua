-- error raised deep in a call chain
local function c() return 1 + {} end
local function b() return c() + 1 end
local function a() return b() end
print("calling")
a()
