// Frames: how calls are laid out on a coroutine's value stack.
//
// Every coroutine (tj_thread) has one contiguous value stack that never moves (see
// docs/interpreter.md), and an array of call records (CallInfo), one per active call, Lua or native.
// Lua calls do not recurse on the Swift stack: CALL pushes a CallInfo and the interpreter loop
// switches its locals (pc, base, constants) to the callee; RET pops it and switches back.
//
//     stack:  ... | fn | arg1 .. argN |                         (non-vararg callee)
//                   ^ci.fn  ^ci.base = fn+1
//     stack:  ... | fn | fixed.. | extra1 .. extraK | fn' | fixed' ... |   (vararg callee)
//                   ^ci.fn        ^ varargs           ^ci.base - 1  ^ci.base
//
// For a vararg callee the function and its fixed parameters are copied above the extra arguments,
// so the frame's registers start after them and VARG reads `base - 1 - nvarargs ..< base - 1`.
// Results always go to ci.fn (or ci.fn - 1 for a frame entered by pcall, which gets `true` first).
//
// The GC marks each stack from 0 to `thread.top`; the interpreter keeps `top` at or above the live
// extent (the running frame's `ci.top`) before any allocation, and the thread hook clears the stack
// above `top` to nil so stale slots never hold dead objects.
import Bytecode
import CVM
import Glibc

/// Flags of a CallInfo.
enum CIFlag {
    static let lua: UInt32 = 1          // a Lua frame (else native)
    static let pcall: UInt32 = 2        // results go to fn-1 preceded by `true`; errors stop here
    static let xpcall: UInt32 = 4       // as pcall, with a message handler in `handler`
    static let reentry: UInt32 = 8      // entered by a Swift-level call (vm.call): returning ends that run
    static let tail: UInt32 = 16        // entered by a tail call (the traceback shows "(tail call)")
}

struct CallInfo {
    var fn: UnsafeMutablePointer<Value>         // function slot; results go here
    var base: UnsafeMutablePointer<Value>       // register 0 (native: first argument)
    var top: UnsafeMutablePointer<Value>        // end of the frame (Lua: base + framesize)
    var pc: UnsafePointer<UInt32>               // Lua: next instruction (saved while not running)
    var closure: LFuncRef?                      // Lua frame's closure (nil for natives)
    var nresults: Int32                         // results wanted (-1: all)
    var flags: UInt32
    var nvarargs: Int32
    var pad: Int32 = 0
    var handler: Value                          // xpcall's message handler
}

/// The interpreter's per-coroutine state, kept in malloc'd memory reached from tj_thread.interp.
struct CoState {
    var cis: UnsafeMutablePointer<CallInfo>     // call records [0, ciCount)
    var ciCount: Int
    var ciCap: Int
    var stackLimit: UnsafeMutablePointer<Value> // frames must end below this ("stack overflow" past it)
    var highWater: UnsafeMutablePointer<Value>  // highest `top` ever set (the GC hook clears above top)
    var swiftCalls: Int                         // active Swift-level calls (vm.call) in this coroutine
    var nres: Int                               // result count handed back by a run that returned
    var resumeTop: UnsafeMutablePointer<Value>? // multi-result top handed to a resumed run
    var yielding: Bool
    var isMain: Bool
    var pendingNativeYield: Bool                // the coroutine's body is a native that yielded
    var resumedByWrap: Bool                     // resumed in the loop by a wrap function (errors propagate)
    var resumer: ThreadRef?                     // resumed in the interpreter loop by this thread (see
                                                // Coroutines.swift); nil when suspended, dead or
                                                // resumed by a Swift-level run
}

typealias CoPtr = UnsafeMutablePointer<CoState>

@inline(__always) func coState(_ L: ThreadRef) -> CoPtr {
    L.pointee.interp.unsafelyUnwrapped.assumingMemoryBound(to: CoState.self)
}

/// Limits of the interpreter's own recursion and frames.
enum InterpLimits {
    /// Call records of the main coroutine (Lua "stack overflow" past this depth): Lua 5.1's
    /// LUAI_MAXCALLS. (200,000 let a runaway recursion such as `f(s .. "x")` keep ~20 GB of
    /// strings alive before it overflowed; LuaJIT stops near 22,000 small frames.)
    static let maxFrames = 20_000
    /// Nested Swift-level calls (metamethods, library callbacks, resumes) across all coroutines
    /// (LuaJIT allows about 9000; the VM thread has a 512 MB native stack, debug frames included).
    static let maxSwiftDepth = 7000
    /// Slots kept free above every frame for natives' results and call set-up.
    static let stackMargin = 300
}

/// Reserves memory that is committed on first touch.
func reserveMemory(bytes: Int) -> UnsafeMutableRawPointer? {
    let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
    if p == MAP_FAILED { return nil }
    return p
}

func releaseMemory(_ p: UnsafeMutableRawPointer, bytes: Int) {
    munmap(p, bytes)
}

/// A pointer's address, for comparisons that must not go through generic (non-inlined) operators.
@inline(__always) func addr<T>(_ p: UnsafeMutablePointer<T>) -> UInt { UInt(bitPattern: p) }
@inline(__always) func addr<T>(_ p: UnsafePointer<T>) -> UInt { UInt(bitPattern: p) }
