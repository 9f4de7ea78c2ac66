-- a Brainfuck interpreter (precomputed jump table, byte tape) running a few programs
local function run(code, input)
  local jump, stack = {}, {}
  for i = 1, #code do
    local c = code:sub(i, i)
    if c == "[" then stack[#stack + 1] = i
    elseif c == "]" then
      local j = table.remove(stack)
      if not j then error("unbalanced ] at " .. i, 0) end
      jump[i], jump[j] = j, i
    end
  end
  if #stack > 0 then error("unbalanced [ at " .. stack[#stack], 0) end
  local tape, ptr, pc, out, inp = {}, 1, 1, {}, 1
  local steps = 0
  while pc <= #code do
    local c = code:byte(pc)
    steps = steps + 1
    if c == 43 then tape[ptr] = ((tape[ptr] or 0) + 1) % 256          -- +
    elseif c == 45 then tape[ptr] = ((tape[ptr] or 0) - 1) % 256      -- -
    elseif c == 62 then ptr = ptr + 1                                 -- >
    elseif c == 60 then ptr = ptr - 1                                 -- <
    elseif c == 46 then out[#out + 1] = string.char(tape[ptr] or 0)   -- .
    elseif c == 44 then tape[ptr] = input:byte(inp) or 0; inp = inp + 1 -- ,
    elseif c == 91 then if (tape[ptr] or 0) == 0 then pc = jump[pc] end
    elseif c == 93 then if (tape[ptr] or 0) ~= 0 then pc = jump[pc] end
    end
    pc = pc + 1
  end
  return table.concat(out), steps
end
local hello = "++++++++[>++++[>++>+++>+++>+<<<<-]>+>+>->>+[<]<-]>>.>---.+++++++..+++.>>.<-.<.+++.------.--------.>>+.>++."
print(run(hello, ""))
-- reverse the input
print(run(">,[>,]<[.<]", "stressed"))
-- print the squares 0..10000 (classic program by Daniel Cristofani)
local squares = "++++[>+++++<-]>[<+++++>-]+<+[>[>+>+<<-]++>>[<<+>>-]>>>[-]++>[-]+>>>+[[-]++++++>>>]<<<[[<++++++++<++>>-]+<.<[>----<-]<]<<[>>>>>[>>>[-]+++++++++<[>-<-]+++++++++>[-[<->-]+[<<<]]<[>+<-]>]<<-]<<-]"
local out, steps = run(squares, "")
print(#out, out:sub(1, 20):gsub("\n", " "), steps)
print(pcall(run, "[[]", ""))
print(pcall(run, "[]]", ""))
