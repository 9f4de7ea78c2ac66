#!/bin/sh
# Regenerates the expected outputs of the conformance programs with luajit (the oracle).
# For each prog.lua: prog.expected (stdout), prog.status (exit status, when not 0) and
# prog.error (the first stderr line with "luajit:" replaced by "tracejit:", when there is one).
cd "$(dirname "$0")"
for f in *.lua; do
  b=${f%.lua}
  luajit "$f" > "$b.expected" 2> "$b.stderr.tmp"
  st=$?
  if [ $st -ne 0 ]; then echo $st > "$b.status"; else rm -f "$b.status"; fi
  if [ -s "$b.stderr.tmp" ]; then head -1 "$b.stderr.tmp" | sed 's/^luajit:/tracejit:/' > "$b.error"; else rm -f "$b.error"; fi
  rm -f "$b.stderr.tmp"
done
