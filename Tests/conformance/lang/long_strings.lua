-- long brackets for strings and comments
local s = [[
first newline skipped]]
print(s, #s)
print([[no newline]])
print([==[contains ]] and ]=] inside]==])
print([=[
]=] == "", #[=[

]=])
print([[a\nb]])           -- no escapes in long strings
print(#[[
x
]])
--[[ a long comment
spanning lines ]] print("after long comment")
--[==[ comment with ]] inside ]==] print("after level-2 comment")
-- a line comment --[[ that is not long
print("after line comment")
--[[]] print("empty long comment")
---[[ this is a line comment, so the next line runs
print("runs")
--]]
local t = {[ [[k]] ] = 1}
print(t.k)
print([[
line1
line2]])
print(#[[
]], [[]] == "")
local f, err = loadstring("return [[unfinished")
print(f, err)
f, err = loadstring("return [==[ x ]=]")
print(f, err)
f, err = loadstring("--[[ unfinished comment")
print(f, err)
