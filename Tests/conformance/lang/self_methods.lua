-- the colon syntax: self parameter in definitions and calls
local Account = {balance = 0}
function Account:deposit(v) self.balance = self.balance + v; return self end
function Account.withdraw(self, v) self.balance = self.balance - v; return self end
Account:deposit(100):withdraw(30)
print(Account.balance)
local other = {balance = 5, deposit = Account.deposit}
other:deposit(10)
print(other.balance, Account.balance)
-- self is an ordinary local
function Account:swap() local s = self; self = nil; return s.balance, self end
print(Account:swap())
-- nested method definitions keep their own self
function Account:outer()
  local inner = {name = "inner"}
  function inner:who() return self.name end
  return inner:who(), self == Account
end
print(Account:outer())
-- method on a field expression evaluated once
local calls = 0
local holder = {get = function() calls = calls + 1; return Account end}
holder.get():deposit(1)
print(calls, Account.balance)
-- a:b(...) with varargs
function Account:sum(...) local s = 0 for _, v in ipairs({...}) do s = s + v end return s end
print(Account:sum(1, 2, 3))
