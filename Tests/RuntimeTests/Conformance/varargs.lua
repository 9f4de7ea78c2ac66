local function count(...) return select('#', ...) end
local function three() return 1, 2, 3 end
local function none() end
print(count(), count(nil), count(nil, nil), count(three()), count(three(), 10), count((three())))
print(three())
print((three()))
print(three(), 'x')
print('x', three())
local t = {three(), three()}
print(#t, t[1], t[2], t[4])
local u = {three(), 'end'}
print(#u, u[2])
local function pass(...) return ... end
print(pass(1, nil, 3))
print(count(pass(nil, nil, nil)))
local function tail(...) return select(2, ...) end
print(tail('a', 'b', 'c'))
print(select(-1, 'a', 'b', 'c'), select(-2, 'a', 'b', 'c'))
local function fixed(a, b, ...) return a, b, select('#', ...) end
print(fixed(1))
print(fixed(1, 2, 3, 4))
local a, b, c = three()
print(a, b, c)
local d, e = none()
print(d, e)
local p, q, r = 1
print(p, q, r)
local x, y = 1, 2, 3
print(x, y)
print(unpack({1, 2, 3}))
print(unpack({1, 2, 3}, 2))
print(unpack({1, 2, 3}, 2, 3))
print(count(unpack({}, 1, 3)))
local function va(...)
  local n = select('#', ...)
  local args = {...}
  return n, #args
end
print(va(1, 2, 3))
-- varargs in a table constructor in the middle
local function mid(...) return {..., 'last'} end
print(#mid(1, 2, 3), mid(1, 2, 3)[2])
-- many values
local big = {}
for i = 1, 300 do big[i] = i end
print(count(unpack(big)), select(300, unpack(big)))
local function sum(...)
  local s = 0
  for i = 1, select('#', ...) do s = s + select(i, ...) end
  return s
end
print(sum(unpack(big)))
