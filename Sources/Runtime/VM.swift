// LuaVM: one Lua state (heap, globals, main coroutine, builtins) and the entry points the CLI and
// the tests use: load a chunk, run it as the main program, capture its output.
import Bytecode
import CVM
import Frontend
import Glibc

public struct VMOptions {
    /// Heap ceiling in bytes (`--max-memory`).
    public var maxMemory: Int?
    /// Collect at every allocation (`--gc-stress`).
    public var gcStress = false
    /// Keep output in `LuaVM.capturedOutput` (and io.stderr writes in `LuaVM.capturedStderr`)
    /// instead of writing it to stdout/stderr (tests).
    public var captureOutput = false
    public init() {}
}

/// The JIT's view of the interpreter (ARCHITECTURE: Runtime defines it, JIT implements it). The
/// interpreter calls it at loop headers (FORLOOP/ITERL taken back-edges and LOOP) only when a hook is
/// installed and the prototype's JIT byte for `pc` is nonzero (or the prototype has no JIT bytes
/// yet, see JITSupport.swift); with no hook the cost is one predictable branch on a local.
public protocol LoopHook: AnyObject {
    /// The loop header just before `pc` (the next instruction to run) was reached. Returns true when
    /// the JIT changed the interpreter state (a trace ran): the interpreter reloads its frame.
    func loopHeader(_ vm: LuaVM, pc: UnsafePointer<UInt32>) -> Bool
    /// A Lua function was just entered by a call or tail call from Lua: its frame is the top frame,
    /// about to run its first instruction. Called only when the prototype's JIT byte for pc 0 is
    /// nonzero (or the prototype has no JIT bytes yet) and while recording. Returns true when the
    /// JIT changed the interpreter state (a trace ran): the interpreter reloads its frame.
    func functionEntry(_ vm: LuaVM) -> Bool
}

extension LoopHook {
    public func functionEntry(_ vm: LuaVM) -> Bool { false }
}

/// A native (Swift) function's view of its call.
public struct NativeArgs {
    public let L: ThreadRef
    public let fn: CFuncRef
    /// The arguments; results are written starting at base[0] (after reading the arguments).
    public let base: UnsafeMutablePointer<Value>
    public let count: Int

    @inline(__always) public subscript(i: Int) -> Value { i < count ? base[i] : .nil }
}

public typealias NativeFunction = (LuaVM, NativeArgs) throws -> Int

public struct Builtin {
    public let name: String
    public let fn: NativeFunction
}

/// A builtin's closure in a class box, so the interpreter can call it through an unretained
/// reference (`LuaVM.nativeFns`): a closure loaded from an array is retained and released around
/// every call.
final class NativeBox {
    let fn: NativeFunction
    init(_ fn: @escaping NativeFunction) { self.fn = fn }
}

/// Builtins the interpreter treats specially.
enum BuiltinID {
    static let pcall = 0
    static let xpcall = 1
}

public final class LuaVM {
    public let heap: Heap
    // Properties the interpreter reads on hot paths are @exclusivity(unchecked): the VM is used from
    // one thread and never holds a long access to them, and the dynamic checks (swift_beginAccess)
    // cost more than the work around them (coroutine switches, native calls).
    @exclusivity(unchecked) public internal(set) var mainThread: ThreadRef
    @exclusivity(unchecked) var currentThread: ThreadRef
    @exclusivity(unchecked) public internal(set) var globals: TableRef
    @exclusivity(unchecked) var stringMetatable: TableRef?
    @exclusivity(unchecked) var builtins: [Builtin] = []
    /// builtins[i].fn, boxed and retained once (see NativeBox); `nativeCap` entries allocated.
    @exclusivity(unchecked) var nativeFns: UnsafeMutablePointer<Unmanaged<NativeBox>>? = nil
    @exclusivity(unchecked) var nativeCap = 0
    @exclusivity(unchecked) var swiftDepth = 0
    /// Builtin ids of coroutine.resume, the functions coroutine.wrap makes, and coroutine.yield:
    /// callNative calls these directly instead of through their boxed closures (-1: not registered).
    @exclusivity(unchecked) var resumeID = -1
    @exclusivity(unchecked) var wrapAuxID = -1
    @exclusivity(unchecked) var yieldID = -1
    /// resumeID when resume, yield and wrap_aux have the consecutive ids resumeID + 0, 1, 2 (as
    /// registered): the loop's test for them (see Interpreter.swift, CALL). Far below 0 otherwise.
    @exclusivity(unchecked) var coSwitchBase = -(1 << 40)
    /// Resumes done inside the interpreter loop (no Swift-level run; see Coroutines.swift), for tests.
    @exclusivity(unchecked) public internal(set) var inLoopResumes = 0
    /// coroutine.status's answers, interned and fixed once: "suspended", "running", "normal", "dead".
    @exclusivity(unchecked) var coStatusNames: (Value, Value, Value, Value) = (.nil, .nil, .nil, .nil)
    @exclusivity(unchecked) public var loopHook: LoopHook?
    /// The trace recorder, called before every instruction while `jitRecording` is set.
    @exclusivity(unchecked) public var recordHook: RecordHook?
    @exclusivity(unchecked) public var jitRecording = false
    /// True while code runs on the VM thread (runOnBigStack/runOnVMThread): nested runs stay there.
    @exclusivity(unchecked) var onVMThread = false
    /// The placeholder pc of native frames (a stored copy of the global `noPC`: no lazy-init check).
    let nativePC: UnsafePointer<UInt32> = noPC
    let options: VMOptions
    var outputBuffer: [UInt8] = []
    /// What the program wrote to io.stderr (with `captureOutput`; otherwise it goes to fd 2).
    public internal(set) var capturedStderr: [UInt8] = []
    public private(set) var exitRequested = false
    /// Lua values the VM keeps alive (loaded chunks being run, library tables...).
    var pinned: [Value] = []
    /// Passed to the main chunk as `...` (as `lua` does).
    var scriptArgs: [String] = []
    var scratchBuffer: UnsafeMutablePointer<UInt8>?
    var scratchSize = 0
    var oomMessage = Value.nil
    var tostringName = Value.nil
    var tostringBuiltin = Value.nil
    /// The table the last `next` call traversed and the cursor it stopped at: a pairs loop asks for
    /// the key just returned, so the next call can usually skip the key lookup (Table.next(_:hint:)
    /// checks the hint; a stale one, even for a freed table, only costs the lookup).
    var nextHintTable: TableRef? = nil
    var nextHintCursor = 0

    public init(options: VMOptions = VMOptions()) {
        self.options = options
        heap = Heap(maxMemory: options.maxMemory ?? Int.max)
        // Bootstrapping allocations are far below any sensible ceiling.
        globals = try! heap.newTable(narray: 0, nhash: 64)
        heap.fix(GCRef(OpaquePointer(globals)))
        mainThread = try! LuaVM.makeThread(heap, slots: 1 << 20, isMain: true)
        heap.fix(GCRef(OpaquePointer(mainThread)))
        currentThread = mainThread
        heap.rootMarker = { [unowned self] h in self.markRoots(h) }
        heap.threadMarker = { h, th in LuaVM.markThread(h, th) }
        // The heap owns its finalizer, and runs it from its own deinit too: no retain.
        heap.threadFinalizer = { [unowned(unsafe) h = heap] th in LuaVM.freeThreadState(th, h) }
        if let s = try? heap.intern("not enough memory") {
            heap.fix(GCRef(OpaquePointer(s)))
            oomMessage = Value(s)
        }
        registerBuiltins()
        heap.stress = options.gcStress
        heap.allocMayCollect = false
    }

    deinit {
        if let t = nativeFns {
            for i in 0..<builtins.count { t[i].release() }
            t.deallocate()
        }
        LuaVM.freeThreadState(mainThread, heap)
        scratchBuffer?.deallocate()
    }

    // MARK: threads

    /// Extra call records in each mapping: one page, for the cache colour offset.
    static let colorRecords = 4096 / MemoryLayout<CallInfo>.stride

    static func makeThread(_ heap: Heap, slots: Int, isMain: Bool) throws -> ThreadRef {
        let L = try heap.newThread(stackSize: slots)
        let frames = isMain ? InterpLimits.maxFrames : InterpLimits.maxFrames / 2
        let cisBytes = (frames + LuaVM.colorRecords) * MemoryLayout<CallInfo>.stride
        let cisMap = heap.takeSpareMapping(bytes: cisBytes) ?? reserveMemory(bytes: cisBytes)
        guard let cisMap else { throw HeapError.outOfMemory }
        let cisRaw = cisMap + Heap.nextColor() * 64   // see Heap.colorSlots
        let co = UnsafeMutablePointer<CoState>.allocate(capacity: 1)
        let stack = UnsafeMutableRawPointer(L.pointee.stack.unsafelyUnwrapped).assumingMemoryBound(to: Value.self)
        co.initialize(to: CoState(cis: cisRaw.assumingMemoryBound(to: CallInfo.self), ciCount: 0, ciCap: frames,
                                  stackLimit: stack + Int(L.pointee.stacksize), highWater: stack,
                                  swiftCalls: 0, nres: 0, resumeTop: nil, yielding: false, isMain: isMain,
                                  pendingNativeYield: false, resumedByWrap: false, resumer: nil))
        L.pointee.interp = UnsafeMutableRawPointer(co)
        L.pointee.top = 0
        return L
    }

    static func freeThreadState(_ L: ThreadRef, _ heap: Heap) {
        guard let raw = L.pointee.interp else { return }
        let co = raw.assumingMemoryBound(to: CoState.self)
        // The stack may hold values up to the high-water mark: raise `top` over them, so the
        // heap clears them before it reuses the stack (Heap.freeThreadStack).
        if let s = L.pointee.stack {
            let hw = (addr(co.pointee.highWater) &- UInt(bitPattern: s)) / 8
            if hw > UInt(L.pointee.top) { L.pointee.top = UInt32(truncatingIfNeeded: min(hw, UInt(L.pointee.stacksize))) }
        }
        // Call records are always written before they are read: no clearing (their first page
        // counts as resident).
        heap.releaseMapping(Heap.pageStart(UnsafeMutableRawPointer(co.pointee.cis)),
                            bytes: (co.pointee.ciCap + LuaVM.colorRecords) * MemoryLayout<CallInfo>.stride,
                            dirty: 4096, clear: false)
        co.deinitialize(count: 1)
        co.deallocate()
        L.pointee.interp = nil
    }

    // MARK: GC roots

    func markRoots(_ h: Heap) {
        // The running coroutine's `top` is not maintained on Lua calls and returns: set it to its
        // running frame's end now.
        let L = currentThread
        let co = coState(L)
        if co.pointee.ciCount > 0 {
            // Exactly the running frame's extent (a stale higher `top` would keep dead values alive).
            L.pointee.top = UInt32(co.pointee.cis[co.pointee.ciCount - 1].top - stackBase(L))
        }
        h.mark(globals)
        if let m = stringMetatable { h.mark(m) }
        h.mark(mainThread)
        h.mark(currentThread)
        for v in pinned { h.mark(v) }
    }

    /// The GC hook for a coroutine: marks xpcall handlers and clears the stack above `top`.
    static func markThread(_ h: Heap, _ L: ThreadRef) {
        guard let raw = L.pointee.interp else { return }
        let co = raw.assumingMemoryBound(to: CoState.self)
        for i in 0..<co.pointee.ciCount {
            let ci = co.pointee.cis + i
            h.mark(ci.pointee.handler)
            h.mark(ci.pointee.fn.pointee)
        }
        let stack = UnsafeMutableRawPointer(L.pointee.stack.unsafelyUnwrapped).assumingMemoryBound(to: Value.self)
        var p = stack + Int(L.pointee.top)
        while p < co.pointee.highWater { p.pointee = .nil; p += 1 }
        co.pointee.highWater = stack + Int(L.pointee.top)
    }

    // MARK: prototypes

    func swiftProto(_ p: ProtoRef) -> Proto? {
        guard let o = p.pointee.owner else { return nil }
        return Unmanaged<Proto>.fromOpaque(o).takeUnretainedValue()
    }

    /// A closure of a compiled main chunk, with the globals as environment.
    public func load(_ proto: Proto) throws -> Value {
        let p = try heap.newProto(proto)
        let f = try heap.newLuaFunction(p, env: globals)
        // A main chunk has no upvalues in Lua 5.1; tolerate stray descriptors with fresh ones.
        let uvs = f.upvalues
        for i in 0..<Int(p.pointee.nuv) {
            uvs[i] = try heap.newClosedUpvalue(.nil)
        }
        return Value(f)
    }

    /// Compiles Lua source (or loads a .bc image, told apart by its first byte) to a function.
    public func load(bytes: [UInt8], chunkName: String) throws -> Value {
        let proto = try ChunkLoader.load(bytes: bytes, chunkName: chunkName)
        return try load(proto)
    }

    // MARK: output

    func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        outputBuffer.append(contentsOf: bytes)
        if !options.captureOutput && outputBuffer.count >= 1 << 16 { flushOutput() }
    }

    func write(_ s: String) {
        var s = s
        s.withUTF8 { write($0) }
    }

    /// Writes buffered output to stdout (a no-op when capturing).
    public func flushOutput() {
        if options.captureOutput || outputBuffer.isEmpty { return }
        outputBuffer.withUnsafeBytes { b in
            var off = 0
            while off < b.count {
                let n = Glibc.write(1, b.baseAddress! + off, b.count - off)
                if n <= 0 { break }
                off += n
            }
        }
        outputBuffer.removeAll(keepingCapacity: true)
    }

    /// Everything printed so far (with `captureOutput`).
    public var capturedOutput: String { String(decoding: outputBuffer, as: UTF8.self) }

    // MARK: running

    /// Sets the global `arg` table: arg[0] = script name, arg[1...] = arguments.
    public func setScriptArguments(scriptName: String, args: [String]) {
        do {
            let t = try heap.newTable(narray: args.count, nhash: 1)
            try tableSet(t, Value(0.0), try heap.string(scriptName))
            for (i, a) in args.enumerated() { try tableSet(t, Value(Double(i + 1)), try heap.string(a)) }
            scriptArgs = args
            try tableSet(globals, try heap.string("arg"), Value(t))
        } catch {}
    }

    /// The result of running a chunk as a program.
    public struct Outcome {
        public var status: Int32
        /// "tracejit: msg\nstack traceback:\n..." for an uncaught error.
        public var errorReport: String?
    }

    /// Runs a chunk as the main program; an uncaught error is reported on stderr as `tracejit: msg`
    /// with a traceback. Returns the exit status.
    public func runMainChunk(bytes: [UInt8], chunkName: String) -> Int32 {
        let o = runMain(bytes: bytes, chunkName: chunkName)
        flushOutput()
        if let r = o.errorReport {
            FileHandleStderr.write(r + "\n")
        }
        return o.status
    }

    /// As runMainChunk, but hands the error report back instead of printing it.
    public func runMain(bytes: [UInt8], chunkName: String) -> Outcome {
        let f: Value
        do {
            f = try load(bytes: bytes, chunkName: chunkName)
        } catch let e as LuaError {
            return Outcome(status: 1, errorReport: "tracejit: \(e.message)")
        } catch let e as HeapError {
            return Outcome(status: 1, errorReport: "tracejit: \(e.message)")
        } catch {
            return Outcome(status: 1, errorReport: "tracejit: \(error)")
        }
        return runFunction(f)
    }

    /// Runs a loaded function as the main program.
    public func runFunction(_ f: Value) -> Outcome {
        let L = mainThread
        let co = coState(L)
        co.pointee.ciCount = 0
        L.pointee.top = 0
        currentThread = L
        swiftDepth = 0
        let base = stackBase(L)
        base[0] = f
        var nargs = 0
        for a in scriptArgs {
            guard let s = try? heap.string(a) else { break }
            nargs += 1
            base[nargs] = s
        }
        L.pointee.top = UInt32(1 + nargs)
        do {
            _ = try runOnBigStack {
                try self.callAt(L, co, fn: base, nargs: nargs, wanted: 0)
            }
            return Outcome(status: 0, errorReport: nil)
        } catch let e as LuaExit {
            exitRequested = true
            return Outcome(status: e.status, errorReport: nil)
        } catch let e as LuaError {
            let tb = traceback(L)
            defer { co.pointee.ciCount = 0 }
            let v = e.value
            if v.isString || v.isNumber || !metamethod(of: v, .tostring).isNil {
                return Outcome(status: 1, errorReport: "tracejit: \(errorText(v))\n\(tb)")
            }
            if v.isNil { return Outcome(status: 1, errorReport: nil) }  // as LuaJIT: nothing printed
            return Outcome(status: 1, errorReport: "tracejit: (error object is not a string)")
        } catch let e as HeapError {
            let tb = traceback(L)
            co.pointee.ciCount = 0
            return Outcome(status: 1, errorReport: "tracejit: \(e.message)\n\(tb)")
        } catch {
            return Outcome(status: 1, errorReport: "tracejit: \(error)")
        }
    }
}

enum FileHandleStderr {
    static func write(_ s: String) {
        var s = s
        s.withUTF8 { b in _ = Glibc.write(2, b.baseAddress, b.count) }
    }
}

/// Turns a chunk's bytes into a prototype: Lua source through the front end, or a .bc image
/// (recognized by its leading ESC byte, like Lua's binary chunks) through the bytecode reader.
enum ChunkLoader {
    /// "@path" chunks come from files (source or verified .bc, told apart by the magic); other
    /// names are source text (`-e`, load).
    static func load(bytes: [UInt8], chunkName: String) throws -> Proto {
        do {
            if chunkName.hasPrefix("@") {
                return try ProgramLoader.load(bytes: bytes, path: String(chunkName.dropFirst()))
            }
            return try ProgramLoader.compile(source: bytes, chunkName: chunkName)
        } catch let e as LuaError {
            throw e
        } catch {
            let msg = (error as? CustomStringConvertible)?.description ?? "\(error)"
            throw LuaError(value: .nil, message: msg)
        }
    }
}

extension LuaVM {
    /// Runs `body` on a thread with a large native stack (Swift-level recursion through metamethods,
    /// callbacks and resumes is bounded by InterpLimits.maxSwiftDepth; this leaves ample room).
    func runOnBigStack(_ body: @escaping () throws -> Int) throws -> Int {
        if onVMThread { return try body() }
        let box = BigStackBox()
        let wrapped: () throws -> Int = { [unowned self] in
            self.onVMThread = true
            defer { self.onVMThread = false }
            return try body()
        }
        box.body = wrapped
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        pthread_attr_setstacksize(&attr, 512 << 20)
        var tid = pthread_t()
        let raw = Unmanaged.passRetained(box).toOpaque()
        let rc = pthread_create(&tid, &attr, { p in
            let b = Unmanaged<BigStackBox>.fromOpaque(p!).takeRetainedValue()
            b.result = Result { try b.body!() }
            return nil
        }, raw)
        pthread_attr_destroy(&attr)
        if rc != 0 {
            Unmanaged<BigStackBox>.fromOpaque(raw).release()
            return try wrapped()
        }
        pthread_join(tid, nil)
        return try box.result!.get()
    }
}

final class BigStackBox: @unchecked Sendable {
    var body: (() throws -> Int)?
    var result: Result<Int, Error>?
}
