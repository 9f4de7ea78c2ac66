-- a small simulation exercising tables, closures and string formatting together
local accounts = {}
local function open(name, initial)
  local acct = {name = name, balance = initial, history = {}}
  accounts[#accounts + 1] = acct
  return acct
end
local function tx(acct, amount, memo)
  if acct.balance + amount < 0 then
    return false, string.format("%s: insufficient funds for %s (%.2f)", acct.name, memo, -amount)
  end
  acct.balance = acct.balance + amount
  acct.history[#acct.history + 1] = string.format("%-10s %+8.2f", memo, amount)
  return true
end
local a = open("alice", 100)
local b = open("bob", 20)
print(tx(a, -30, "rent"))
print(tx(b, -50, "car"))
print(tx(b, 75.5, "salary"))
print(tx(a, 12.25, "refund"))
for _, acct in ipairs(accounts) do
  print(string.format("%-6s %8.2f", acct.name, acct.balance))
  for _, h in ipairs(acct.history) do print("  " .. h) end
end
local total = 0
for _, acct in ipairs(accounts) do total = total + acct.balance end
print(string.format("total %.2f", total))
table.sort(accounts, function(x, y) return x.balance > y.balance end)
print(accounts[1].name, accounts[2].name)
