-- compile-time errors of goto/labels
local cases = {
  "goto nowhere",
  "do ::a:: end goto a",
  "::a:: ::a::",
  "goto f; local x; ::f:: print(x)",
  "local function g() goto out end ::out::",
  "for i=1,2 do end goto i",
  "::a:: do ::a:: end",
  "repeat goto c; local x; ::c:: until x",
  "do goto f; local x; ::f:: end",
  "break",
  "if true then break end",
}
for _, src in ipairs(cases) do
  local f, err = loadstring(src)
  print(src, "=>", f and "ok" or err)
end
