-- * + - ? quantifiers: greedy, lazy, optional
print(("aaab"):match("a*"), ("aaab"):match("a+"), ("aaab"):match("a-"), ("aaab"):match("a?"))
print(("aaab"):match("a*b"), ("aaab"):match("a-b"), ("b"):match("a+b"), ("b"):match("a*b"))
print(("<a><b>"):match("<.*>"), ("<a><b>"):match("<.->"))
print(("color colour"):gsub("colou?r", "C"))
print(("abc"):match("^a?b?c?d?$"), ("ac"):match("^ab?c$"), ("abbc"):match("^ab?c$"))
print(("x = 10;"):match("=%s*(%d+)"), ("x=;"):match("=%s*(%d*)"))
print(("aaa"):match("^(a-)a$"), ("aaa"):match("^(a*)a$"))
print(("123abc"):match("^%d+"), ("abc"):match("^%d*"), ("abc"):match("^%d+"))
print(("[[x]]"):match("%[(.-)%]"), ("[[x]]"):match("%[(.*)%]"))
print(("a.b.c"):match("(.-)%.(.*)"))
-- quantifier after a set
print(("aabbcc"):match("[ab]+"), ("ccb"):match("[ab]*"), ("xyz"):match("[ab]-z"))
-- quantifier characters at pattern start are literal
print(("*a"):match("*a"), ("+"):match("+"), ("?x"):match("?x"))
