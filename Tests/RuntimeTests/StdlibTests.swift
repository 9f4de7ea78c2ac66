// Focused tests of the standard library (Sources/Runtime/Lib): pattern matcher edge cases, format
// flags and errors, sort with bad comparators, io error returns, bit and math conversions. Each
// script's expected output was produced by luajit 2.1 (the oracle) and pasted here.
import XCTest
@testable import Runtime

final class StdlibTests: XCTestCase {
    func run(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        var o = VMOptions()
        o.captureOutput = true
        let vm = LuaVM(options: o)
        let r = vm.runMain(bytes: Array(source.utf8), chunkName: "=test")
        XCTAssertNil(r.errorReport, file: file, line: line)
        return vm.capturedOutput
    }

    func testPatternsFindMatchGsub() {
        let src = #"""
print(string.find("hello world", "o w"), string.find("a+b", "+", 1, true), string.find("abc", "b", -1))
print(string.match("key = value", "(%w+)%s*=%s*(%w+)"), string.match("  x", "()x"))
print(string.match("THE (quick) fox", "%((%a+)%)"), string.find("f(a(b)c)d", "%b()"))
print(string.gsub("THE (quick) fox", "%f[%a]%a+", "W"))
print(string.match("abcabc", "(a)(b)c%1%2"), string.match("[[x]]", "[]]"), string.match("a-b", "[%-]"))
print(string.find("aaa", "a-b"), string.match("aaab", "a-b"), string.match("x", "x?x"), string.match("", "^$"))
print(pcall(string.find, "a", "(()"), pcall(string.match, "a", "%"), pcall(string.gsub, "a", "(", ""))
print(pcall(string.rep), pcall(string.find, "a", "[a"), pcall(string.match, "a", "%f"))
print(string.gsub("hello", "l", {l = "L"}), string.gsub("abc", "%w", "%0%0", 2), string.gsub("x", "x", "%%"))
print(string.gsub("abc", ".", function(c) if c == "b" then return false end return c:upper() end))
for k, v in string.gmatch("a=1, b=2", "(%w+)=(%w+)") do io.write(k, v, ";") end print()
"""#
        let expected = #"""
5	2	nil
key	3
quick	2	8
W (W) W	3
a	]	-
nil	aaab	x	
false	false	true	a	2
false	false	false	missing '[' after '%f' in pattern
heLLo	aabbc	%	1
AbC	3
a1;b2;

"""#
        XCTAssertEqual(run(src), expected)
    }

    func testFormatConversions() {
        let src = #"""
print(string.format("%5.2f|%-6d|%+d|% d|%05d|%x|%X|%#o|%e|%g|%G", 3.14159, 42, 5, 5, -42, 255, 255, 8, 12345.678, 1e20, 1e-10))
print(string.format("%q", "a\nb\0c\"\\\r1"), string.format("%.0f %.0f %.0f", 0.5, 1.5, 2.5), string.format("%c%c", 72, 105))
print(string.format("%5s|%-5s|%.2s", "ab", "ab", "abc"), string.format("%d %u %x", -3.9, -1, -1))
print(pcall(string.format, "%123d", 1), pcall(string.format, "%y", 1), pcall(string.format, "%d", "x"))
"""#
        let expected = #"""
 3.14|42    |+5| 5|-0042|ff|FF|010|1.234568e+04|1e+20|1E-10
"a\
b\0c\"\\\0131"	1 2 3	Hi
   ab|ab   |ab	-3 18446744073709551615 ffffffffffffffff
false	false	false	bad argument #2 to '?' (number expected, got string)

"""#
        XCTAssertEqual(run(src), expected)
    }

    func testTableSortInsertRemoveConcat() {
        let src = #"""
local t = {5, 2, 8, 1, 9, 3}
table.sort(t) print(table.concat(t, ","))
table.sort(t, function(a, b) return a > b end) print(table.concat(t, ","))
local ok, e = pcall(table.sort, {5, 3, 1, 4, 2, 6, 7, 9, 8, 10, 12, 11}, function(a, b) return true end)
print(ok, e)
local big = {} for i = 1, 200 do big[i] = (i * 37) % 101 end
print(pcall(table.sort, big, function(a, b) return a <= b end))
print(pcall(table.sort, {1, "x", 2}))
print(pcall(table.insert, nil, 1), pcall(table.insert, {}, 1, 2, 3))
local r = {1, 2, 3} table.insert(r, 1, 0) print(table.concat(r, " "), table.remove(r), table.remove(r, 1), table.concat(r, " "))
print(pcall(table.concat, {1, {}, 3}), table.maxn({1, 2, [7] = 1}))
"""#
        let expected = #"""
1,2,3,5,8,9
9,8,5,3,2,1
false	invalid order function for sorting
false	invalid order function for sorting
false	attempt to compare string with number
false	false	wrong number of arguments to 'insert'
0 1 2 3	3	0	1 2
false	7

"""#
        XCTAssertEqual(run(src), expected)
    }

    func testIoOsBitMathLoad() {
        let src = #"""
local name = os.tmpname()
local f = assert(io.open(name, "w"))
print(f:write("12 3.5\nline\n"))
f:close()
print(io.type(f), pcall(f.read, f))
print(io.open("/nonexistent/dir/x", "r"))
f = io.open(name)
print(f:read("*n", "*n", "*l", "*l", "*l"))
print(f:seek("set", 3), f:read(2), f:seek("end"))
f:close()
for l in io.lines(name) do io.write("[", l, "]") end print()
print(os.remove(name), select("#", os.remove(name)))
print(bit.band(0xff, 0x0f), bit.bor(1, 2), bit.bxor(3, 1), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-16, 2))
print(bit.tohex(255), bit.tohex(-1, -4), bit.tobit(2^32 + 5), bit.rol(1, 33), bit.ror(1, 1), bit.bswap(0x11223344), bit.bnot(0))
print(math.floor(-3.5), math.ceil(-3.5), math.max(1, 5, 3), math.min(2, -1), math.fmod(7, 3), math.modf(-2.25))
math.randomseed(7) local a = math.random(1, 10) math.randomseed(7) print(a == math.random(1, 10), math.random(3) <= 3)
print(os.date("!%Y-%m-%d %H:%M:%S", 86400 * 365), os.date("!*t", 0).year, os.time({year = 2000, month = 1, day = 1}) > 0)
print(loadstring("return 1 + 1")(), loadstring("x ="), select("#", loadstring("x =")))
"""#
        let expected = #"""
true
closed file	false	attempt to use a closed file
nil	/nonexistent/dir/x: No such file or directory	2
12	3.5		line	nil
3	3.	12
[12 3.5][line]
true	3
15	3	2	-2147483648	15	-4
000000ff	FFFF	5	2	-2147483648	1144201745	-1
-4	-3	5	-1	1	-2	-0.25
true	true
1971-01-01 00:00:00	1970	true
2	nil	2

"""#
        XCTAssertEqual(run(src), expected)
    }

    /// Inconsistent comparators must end in "invalid order function for sorting" or a permutation,
    /// never a crash or an endless loop; consistent ones must sort.
    func testSortNeverCrashesWithBadComparators() {
        let src = #"""
local seed = 1
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n end
local bad = 0
for trial = 1, 300 do
  local n = rnd(40) + 1
  local t, count = {}, {}
  for i = 1, n do t[i] = rnd(10); count[t[i]] = (count[t[i]] or 0) + 1 end
  local mode = trial % 3
  local cmp
  if mode == 0 then cmp = function(a, b) return a <= b end
  elseif mode == 1 then cmp = function(a, b) return rnd(2) == 0 end
  else cmp = function(a, b) return a > b end end
  local ok, e = pcall(table.sort, t, cmp)
  if not ok then assert(e:find("invalid order function for sorting", 1, true)); bad = bad + 1 end
  for i = 1, n do count[t[i]] = count[t[i]] - 1 end
  for _, c in pairs(count) do assert(c == 0, "not a permutation") end
  if mode == 2 then for i = 2, n do assert(t[i - 1] >= t[i]) end end
end
print(bad > 0)
"""#
        XCTAssertEqual(run(src), "true\n")
    }

    func testStringMethodsAndIndexing() {
        XCTAssertEqual(run(#"print(("x"):rep(3), ("abc"):upper(), ("abc")[1], #("abc"):rep(2, ","))"#), "xxx\tABC\tnil\t7\n")
        XCTAssertEqual(run(#"print(pcall(function() local r = ("x"):rep("n") return r end))"#),
                       "false\ttest:1: bad argument #1 to 'rep' (number expected, got string)\n")
    }

    func testPatternTooComplexAndCaptureLimit() {
        XCTAssertEqual(run(#"print(pcall(string.find, string.rep("a", 300), string.rep("a?", 300)))"#),
                       "false\tpattern too complex\n")
        XCTAssertEqual(run(#"print(pcall(string.match, "a", string.rep("()", 33)))"#), "false\ttoo many captures\n")
    }

    func testRequirePreloadAndLoop() {
        let src = #"""
package.preload.m = function(name) return {name = name} end
print(require("m").name, require("m") == package.loaded.m)
package.preload.self = function() return require("self") end
print(pcall(require, "self"))
"""#
        XCTAssertEqual(run(src), "m\ttrue\nfalse\tloop or previous error loading module 'self'\n")
    }

    func testLoadOsAndMiscEdgeCases() {
        let src = #"""
print(loadstring("x="))
print(loadstring("x=", "=name"))
print(loadstring("local a = 1\nlocal b = \n", "chunk"))
print(pcall(loadstring("error('boom')")))
print(pcall(loadstring("local t = nil; return t.x", "=(mychunk)")))
print(select("#", loadstring("a very long line of source code that goes on and on and on beyond the limit\n error(1)")))
print(type(load(function() return nil end)))
local parts = {"return ", "1 ", "+ 41"}
local i = 0
print(load(function() i = i + 1 return parts[i] end)())
print(pcall(load, function() return {} end))
print(pcall(load))
print(loadstring("return ...", "=v")(1, 2, 3))
print(os.date("!%Y|%j|%a|%b|%p|%%", 0))
print(pcall(os.date, "%Q", 0))
print(os.time({year = 2020, month = 1, day = 1, hour = 0}) - os.time({year = 2019, month = 12, day = 31, hour = 0}))
print(pcall(os.time, {year = 2020}))
print(os.difftime(10, 4), os.getenv("SURELY_UNSET_VAR_XYZ"))
print(type(os.clock()), type(os.time()), math.type)
print(string.format("%-5c|", 66), string.format("%3d|%-3d|", 7, 7), string.format("%.3s", 1.23456))
print(pcall(string.char, 256), pcall(string.char, "a"))
print(("%d"):format(3), ("abc"):len(), #"abc", ("a,b,,c"):gsub(",", ";"))
print(string.rep("ab", 3, "-"), string.rep("", 5), string.rep("x", 0), string.rep("x", -1))
print(table.concat({}, ","), table.concat({"a"}, ","), pcall(table.concat, {1}, ",", 1, 2))
print(select("#", table.remove({})), table.remove({1, 2}, 1))
print(string.find("a.b", ".", 1, true), string.find("a.b", "%."), ("x"):find(""), ("x"):find("", 3))
print(string.match("2024-01-15", "(%d+)-(%d+)-(%d+)"))
print(string.gsub("hello world", "(%w+) (%w+)", "%2 %1"))
print(pcall(string.gsub, "x", "x", "%2"))
print(string.gsub("abc", "b*", "-"))
print(tostring(nil), tostring(1e100), tostring(-0.0), 2^63, -2^63)

"""#
        let expected = #"""
nil	[string "x="]:1: unexpected symbol near '<eof>'
nil	name:1: unexpected symbol near '<eof>'
nil	[string "chunk"]:3: unexpected symbol near '<eof>'
false	[string "error('boom')"]:1: boom
false	(mychunk):1: attempt to index local 't' (a nil value)
2
function
42
true	nil	reader function must return a string
false	bad argument #1 to '?' (function expected, got no value)
1	2	3
1970|001|Thu|Jan|AM|%
true	%Q
86400
false	field 'day' missing in date table
6	nil
number	number	nil
B    |	  7|7  |	1.2
false	false	bad argument #1 to '?' (number expected, got string)
3	3	3	a;b;;c	3
ab-ab-ab			
	a	false	invalid value (nil) at index 2 in table for 'concat'
0	1
2	2	1	2	1
2024	01	15
world hello	1
false	invalid capture index
-a--c-	4
nil	1e+100	-0	9.2233720368548e+18	-9.2233720368548e+18

"""#
        XCTAssertEqual(run(src), expected)
    }

    func testIntegerFormatFlags() {
        let src = #"""
for _, fmt in ipairs({"%5.3d", "%-+8d", "% 05d", "%#o", "%#.0o", "%.0d", "%#X", "%#08x", "%+u", "%-#10o"}) do
  local row = {}
  for _, v in ipairs({0, 1, -1, 255, -2^31, 2^53}) do row[#row + 1] = string.format(fmt, v) end
  print(fmt, table.concat(row, "|"))
end

"""#
        let expected = #"""
%5.3d	  000|  001| -001|  255|-2147483648|9007199254740992
%-+8d	+0      |+1      |-1      |+255    |-2147483648|+9007199254740992
% 05d	 0000| 0001|-0001| 0255|-2147483648| 9007199254740992
%#o	0|01|01777777777777777777777|0377|01777777777760000000000|0400000000000000000
%#.0o	0|01|01777777777777777777777|0377|01777777777760000000000|0400000000000000000
%.0d	|1|-1|255|-2147483648|9007199254740992
%#X	0|0X1|0XFFFFFFFFFFFFFFFF|0XFF|0XFFFFFFFF80000000|0X20000000000000
%#08x	00000000|0x000001|0xffffffffffffffff|0x0000ff|0xffffffff80000000|0x20000000000000
%+u	0|1|18446744073709551615|255|18446744071562067968|9007199254740992
%-#10o	0         |01        |01777777777777777777777|0377      |01777777777760000000000|0400000000000000000

"""#
        XCTAssertEqual(run(src), expected)
    }

    /// Scans that skip start positions by the pattern's first class (PatternStart): literals, classes,
    /// sets with ranges/negation/%z, leading captures, errors that must still (or must not) be raised.
    func testPatternStartFilter() {
        let src = #"""
print(string.gsub("a\"b\\c\nd", '[%c"\\]', function(c) return "<" .. c:byte() .. ">" end))
print(string.gsub("hello world", "o", "0"), string.gsub("hello", "z", "y"), string.gsub("aaa", "a", "b", 2))
print(string.find("xx\"yy", '["\\]'), string.find("abc", "[^ab]"), string.find("abc", "%u"), string.find("aBc", "%u"))
print(string.find("x 12 y", "%d+"), string.find("x 12 y", "(%d)(%d)"), string.find("x 12 y", "()%d()"))
print(string.match("key=val", "(%a+)=(%a+)"), string.match("abc", "(((b)))"), string.find("a.b", "%."))
print(string.gsub("one two  three", "(%a)(%a*)", function(a, b) return a:upper() .. b end))
print(string.gsub("abc", "[a-b]", "%0%0"), string.gsub("a-z", "[%-z]", "_"), string.gsub("]x]", "[]]", "!"))
print(string.find("abc", "c$"), string.find("a$c", "$c"), string.find("abc", "b", 10), string.find("", "a"))
print(string.gsub("^a^", "^", "x"), string.gsub("x^a", "%^a", "y"), string.gsub("hello", "l+", "L"))
for w in string.gmatch("the quick  brown fox", "%a+") do io.write(w, ",") end print()
for a, b in string.gmatch("k1=v1;k2=v2", "(%w+)=(%w+)") do io.write(a, b, ";") end print()
for w in string.gmatch("^a^b", "^%a") do io.write(w, ",") end print()
for p in string.gmatch("abab", "()b") do io.write(p, ",") end print()
print(pcall(string.gsub, "zzz", "a%", "x"), pcall(string.find, "zzz", "a(%1)"))
print(pcall(string.gsub, "zzz", "[a", "x"), pcall(string.find, "aaa", "a)"))
print(pcall(string.find, "xyz", "x)"), pcall(string.gsub, "aba", "b(", "x"))
print(string.gsub("\0a\0b", "%z", "0"), string.gsub("a\0b", "[%z]", "-"), string.find("a\200b", "[\128-\255]"))
print(string.gsub("ab12", "%W", "."), string.gsub("a b\tc", "%S+", "w"), string.find("xyz", "[xyz]+", 2))
print(string.gsub("abc", "%a?", "-"), string.gsub("abc", "b*", "-"), string.gsub("abc", "x-", "-"))
print(string.gsub("hello world", "%s", "", 0), string.find("hello", "l", -2), string.match("2024-01-02", "(%d+)-(%d+)"))
local t = {} for i = 1, 40 do t[i] = "(" end
print(pcall(string.find, "b", table.concat(t) .. "a"))
"""#
        let expected = #"""
a<34>b<92>c<10>d	3
hell0 w0rld	hello	bba	2
3	3	nil	2	2
3	3	3	3	3	4
key	b	2	2
One Two  Three	3
aabbc	a__	!x!	2
3	2	nil	nil
x^a^	xy	heLo	1
the,quick,brown,fox,
k1v1;k2v2;
^a,^b,
2,4,
true	true	nil
false	true	nil
true	true	axa	1
0a0b	a-b	2	2
ab12	w w	w	2	3
----	-a--c-	-a-b-c-	4
hello world	4	2024	01
false	too many captures

"""#
        XCTAssertEqual(run(src), expected)
    }

    /// next() with the VM's cursor hint: clearing and updating during pairs, nested and interleaved
    /// traversals, explicit next calls, bad keys, a collection between steps.
    func testNextCursorHint() {
        let src = #"""
local t = {}
for i = 1, 10 do t[i] = i end
for i = 1, 20 do t["k" .. i] = i end
t[0] = 0; t[-0.5] = 1; t[true] = 2
local n, s = 0, 0
for k, v in pairs(t) do n = n + 1; s = s + v; t[k] = nil end
print(n, s, next(t))
local u = {a = 1, b = 2, c = 3, d = 4, 10, 20}
local cnt = 0
for k1 in pairs(u) do for k2 in pairs(u) do cnt = cnt + 1 end end
print(cnt)
local a, b = {x = 1, y = 2, z = 3}, {p = 1, q = 2}
local ka, kb, steps = nil, nil, 0
repeat
  ka = next(a, ka); kb = next(b, kb); steps = steps + 1
until ka == nil and kb == nil
print(steps)
local k1 = next(u)
local k2 = next(u, k1)
print(next(u, k1) == k2, select('#', next(u, k2)))
print(pcall(next, u, "nope"), pcall(next, {}, 1))
local w = {}
for i = 1, 100 do w["x" .. i] = i end
local seen = 0
for k, v in pairs(w) do seen = seen + 1; w[k] = v * 2 end
local sum = 0 for _, v in pairs(w) do sum = sum + v end
print(seen, sum)
collectgarbage()
local g = {}
for i = 1, 50 do g["g" .. i] = i end
local c2 = 0
for k in pairs(g) do g[k] = nil; collectgarbage(); c2 = c2 + 1 end
print(c2, next(g))
"""#
        let expected = #"""
33	268	nil
36
12
true	2
false	false	invalid key to 'next'
100	10100
50	nil

"""#
        XCTAssertEqual(run(src), expected)
    }

    /// Library calls that answer without building a string: type() (pre-interned names),
    /// gsub with no match and sub of the whole string (the subject itself), table.concat through
    /// the heap's scratch buffer (numbers, separators, ranges, bad values).
    func testLibraryStringShortcuts() {
        let src = #"""
print(type(nil), type(true), type(1), type("s"), type({}), type(print), type(coroutine.create(function() end)), type(io.stdout))
print(pcall(type))
print(table.concat({1, 2.5, "x", -0.0, 1e100, 2^53}, ","), table.concat({}, "x"), table.concat({"a"}, "x"))
print(table.concat({"a", "b", "c"}, ", ", 2, 3), table.concat({"a", "b"}, "-", 3, 2), table.concat({"a", "b", "c"}, nil, 2))
print(pcall(table.concat, {"a", {}, "c"}), pcall(table.concat, {"a", "b"}, ",", 1, 3))
print(table.concat({1, 2, 3}, 0), table.concat({[1] = "x", [2] = "y"}, "\0"):len(), #table.concat({("ab"):rep(1000), 1/3}, ("-"):rep(100)))
local parts = {} for i = 1, 300 do parts[i] = i % 7 == 0 and i / 7 or tostring(i) end
local big = table.concat(parts, "; ") print(#big, big:sub(1, 20), big:sub(-12))
print(string.gsub("hello", "z", "y"), string.gsub(12345, "9", "x"), string.gsub("", "a", "b"), string.gsub("abc", "", "-", 0))
print(string.sub("hello", 1, -1), string.sub(42, 1), string.sub("hello", 1, 5), string.sub("hello", 0, 100), string.sub("", 1, -1))
print(rawequal(string.sub("hello", 1), "hello"), ("x"):rep(3):sub(1, 3) == "xxx")
"""#
        let expected = #"""
nil	boolean	number	string	table	function	thread	userdata
false	bad argument #1 to '?' (value expected)
1,2.5,x,-0,1e+100,9.007199254741e+15		a
b, c		bc
false	false	invalid value (nil) at index 3 in table for 'concat'
10203	3	2116
1354	1; 2; 3; 4; 5; 6; 1;	98; 299; 300
hello	12345		abc	0
hello	42	hello	hello	
true	true

"""#
        XCTAssertEqual(run(src), expected)
    }

    /// Float conversions through tj_format_double (repeated flags: LuaJIT accepts any number; more
    /// than 26 used to overflow the spec buffer and trap), ties, widths and precisions at their
    /// limits; byte and find results without the results check.
    func testFormatFloatsAndNumberResults() {
        let src = #"""
print(string.format("%-------------------------------------------5.1f|%+++++ 08.3e|%#g|%5.0f", 1.5, -2.25, 1, 2.5))
print(string.format("%.14g %.14g %.14g %.14g %g %g", 0.1, 1/3, -0.0, 1e300, 0/0, -1/0))
print(string.format("%99.99f", 1):len(), string.format("%.99f", 1e308):len(), string.format("%a %A", 1, 0.5))
print(string.format("%.2f %.0f %.1f %.3f", 2.675, 0.5, 0.25, 1.0005), string.format("%10.4E|%-10.2G|", 12345.6789, 0.000012345))
print(string.format("%5.1f %s %d %5.2f", 3.14159, "x", 7, -0.005), string.format("%F", 1.5))
print(string.byte("hello", 1, -1)) print(string.byte("a"), string.byte("abc", 2, 3), string.byte("", 1), string.byte("abc", 10))
local s = string.rep("x", 300) local t = {string.byte(s, 1, -1)} print(#t, t[1], t[300])
print(select('#', string.byte(s, 1, 100)), select('#', string.byte(s, 1, 41)), select('#', string.byte(s, 1, 40)))
print(string.find("abc", "b()"), string.find("hello", "l+"), string.find("a.b", ".", 1, true), string.find("key=v", "(%w+)=(%w+)"))
"""#
        let expected = #"""
1.5  |-2.250e+00|1.00000|    3
0.1 0.33333333333333 -0 1e+300 nan -inf
101	409	0x1p+0 0X1P-1
2.67 1 0.3 1.000	1.2346E+04|1.2E-05   |
  3.1 x 7 -0.01	1.500000
104	101	108	108	111
97	98	nil
300	120	120
100	41	40
2	3	2	1	5	key	v

"""#
        XCTAssertEqual(run(src), expected)
    }

    /// `*` and `+` runs counted with the class decoded once (runLength): literals, `.`, `%` classes,
    /// sets short and past the 8-byte switch to a ByteSet, negated sets, %z, backtracking after a run.
    func testPatternRunLengths() {
        let src = #"""
print(string.match("aaaaaaaaaaaaaaaaaaaab", "a*b"), string.match("   \t\n  x", "^[ \t\r\n]*()"), string.match("abcdefghijklmnop123", "[a-p]*"))
print(string.match('msg="hello world, this is long"', 'msg="([^"]*)"'), string.match("1234567890123x", "%d*"), string.match("....x", "%.*"))
print(string.match("xxxxxxxxxxxxxxxx", "[x]*x"), string.match("abababababababab!", "[ab]+!"), string.match("", "[%a]*"), string.match("AAAAAAAAAAbbbb", "%u*()"))
print(string.match("\0\0\0\0\0\0\0\0\0\0a", "%z*()"), string.match("zzzzzzzzzzzzzz", "[^a]*"), string.find("hello there", "[%s]*t"))
print(string.gsub("one  two   three    four", "%s+", " "), string.match("aaaaaaaaaaaaaaaaaaaaaaaaa", "a*a*a*a"), string.match(string.rep("ab", 20), "[%a]*b"))
"""#
        let expected = #"""
aaaaaaaaaaaaaaaaaaaab	8	abcdefghijklmnop
hello world, this is long	1234567890123	....
xxxxxxxxxxxxxxxx	abababababababab!		11
11	zzzzzzzzzzzzzz	6	7
one two three four	aaaaaaaaaaaaaaaaaaaaaaaaa	abababababababababababababababababababab

"""#
        XCTAssertEqual(run(src), expected)
    }
}
