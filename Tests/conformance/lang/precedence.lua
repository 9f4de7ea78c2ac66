-- operator precedence and associativity
print(1 + 2 * 3, (1 + 2) * 3)
print(2 ^ 3 ^ 2, (2 ^ 3) ^ 2)          -- ^ is right associative
print(-2 ^ 2, (-2) ^ 2)                -- unary minus binds looser than ^
print(2 ^ -1)
print(-3 ^ -2)
print(10 - 4 - 3, 10 - (4 - 3))        -- left associative
print(100 / 10 / 5, 2 * 3 % 4, 2 * (3 % 4))
print(7 % 3 * 2)
print("a" .. "b" .. "c" == "abc")
print(1 .. 2 == "12")
print(1 + 1 .. 2)                      -- arithmetic before concat
print(2 .. 3 ^ 2)
print(not nil == true)                 -- (not nil) == true
print(not (nil == true))
print(not 1 == 2)
print(1 < 2 == true)                   -- comparison then equality, left assoc
print(1 == 1 and 2 == 2 or false)
print(nil and 1 or 2)
print(false or nil and 1)
print(1 or error("not evaluated"))
print(#"abc" + 1, -#"ab")
print(- -2, not not nil, - - -3)
print(2 * -3, 2 ^ -2 * 4)
print(1 + -2 ^ 2)
print("10" + 1 .. "")
print(3 > 2 and "yes" or "no")
print(1 < 2 and 2 < 3)
print(("x"):rep(2) .. "y")
local a, b, c = 2, 3, 4
print(a + b * c ^ 2 / a - c % b)
print(a < b and b < c, a > b or c > b)
print(-a ^ b, (-a) ^ b)
