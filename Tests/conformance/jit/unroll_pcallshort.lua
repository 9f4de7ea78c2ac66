-- short loop in a function called through pcall, erroring on some calls
local function f(t, k)
  local s = 0
  for i = 1, 3 do
    if k % 50 == 0 and i == 2 then error("boom " .. k) end
    s = s + t[i]
  end
  return s
end
local t = {1, 2, 3}
local acc, errs = 0, 0
for k = 1, 300 do
  local ok, v = pcall(f, t, k)
  if ok then acc = acc + v else errs = errs + 1; if errs < 3 then print(v) end end
end
print(acc, errs)
