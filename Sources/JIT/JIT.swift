// The trace JIT (docs/jit.md): hot-loop detection, the trace recorder, the trace IR and its passes,
// the IR interpreter backend and the x86-64 backend. Runtime knows it only through `LoopHook`.
