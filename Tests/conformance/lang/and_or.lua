-- and/or return one of their operands, with short-circuit evaluation
local function show(...) print(select("#", ...), ...) end
print(nil and 1, false and 1, 0 and 1, "" and "x")
print(nil or 1, false or false, 0 or 1, nil or nil)
print(1 and nil, 1 and false)
print(false or nil, nil or false)
local hit = 0
local function side() hit = hit + 1; return true end
local _ = false and side()
_ = true or side()
print("side effects", hit)
_ = true and side()
_ = false or side()
print("side effects", hit)
-- and/or truncate multiple results to one
local function mr() return 1, 2, 3 end
show(mr() and mr())
show(nil or mr())
show(mr())
-- the ternary idiom and its pitfall
local function tern(c, a, b) return c and a or b end
print(tern(true, "a", "b"), tern(false, "a", "b"), tern(true, false, "b"), tern(true, nil, "b"))
-- not
print(not nil, not false, not 0, not "", not {})
-- chains
print(1 and 2 and 3, nil and 2 and 3, 1 and nil and 3)
print(nil or false or 3, nil or false or nil)
print(1 and 2 or 3, nil and 2 or 3, 1 and nil or 3)
