-- malformed patterns
local pats = {"[a", "[", "%", "(", ")", "%b", "%ba", "%f", "%fa", "(()", "%1", "(a)%2", "[%", "[^", "a%"}
for _, p in ipairs(pats) do
  local ok, e = pcall(string.find, "abc", p)
  print(string.format("%-6s", p), ok, e)
end
