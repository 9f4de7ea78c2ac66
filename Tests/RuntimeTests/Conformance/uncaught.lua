local function helper(p)
  return p.field
end
print("start")
helper(nil)
