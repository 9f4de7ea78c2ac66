// Function prototypes, closures, upvalues, coroutines and userdata: allocation and the small
// operations on them that belong to the data layer (finding and closing upvalues, growing a stack).
import Bytecode
import Glibc

extension UnsafeMutablePointer where Pointee == tj_lfunc {
    /// The inline upvalue pointers (nupvals of them; nil until the creator fills them).
    @inline(__always) public var upvalues: UnsafeMutablePointer<UpvalRef?> {
        (UnsafeMutableRawPointer(self) + MemoryLayout<tj_lfunc>.size).assumingMemoryBound(to: UpvalRef?.self)
    }
    @inline(__always) public var value: Value { Value(self) }
}

extension UnsafeMutablePointer where Pointee == tj_cfunc {
    /// The inline upvalue values (nupvals of them, nil-initialized).
    @inline(__always) public var upvalues: UnsafeMutablePointer<Value> {
        (UnsafeMutableRawPointer(self) + MemoryLayout<tj_cfunc>.size).assumingMemoryBound(to: Value.self)
    }
    @inline(__always) public var value: Value { Value(self) }
}

extension UnsafeMutablePointer where Pointee == tj_proto {
    /// The Swift prototype this was built from (debug info, names, source).
    public var source: Proto { Unmanaged<Proto>.fromOpaque(pointee.owner!).takeUnretainedValue() }
    @inline(__always) public var constants: UnsafeMutablePointer<Value> {
        UnsafeMutableRawPointer(pointee.k).assumingMemoryBound(to: Value.self)
    }
    @inline(__always) public var code: UnsafePointer<UInt32> { pointee.code }
    @inline(__always) public func child(_ i: Int) -> ProtoRef { pointee.child[i]! }
    /// Upvalue descriptor i: (in the parent's frame, index).
    @inline(__always) public func upvalueDesc(_ i: Int) -> (inParentFrame: Bool, index: Int) {
        let d = pointee.uvdesc[i]
        return (d & 0x8000 != 0, Int(d & 0x7FFF))
    }
}

extension UnsafeMutablePointer where Pointee == tj_upval {
    /// The upvalue's current value (in the stack while open).
    @inline(__always) public var value: Value {
        get { Value(bits: pointee.v.pointee) }
        nonmutating set { pointee.v.pointee = newValue.bits }
    }
}

extension UnsafeMutablePointer where Pointee == tj_thread {
    @inline(__always) public var value: Value { Value(self) }
    /// The value stack (stacksize slots, slots >= top are nil-filled when allocated).
    @inline(__always) public var stackValues: UnsafeMutablePointer<Value> {
        UnsafeMutableRawPointer(pointee.stack.unsafelyUnwrapped).assumingMemoryBound(to: Value.self)
    }
}

extension UnsafeMutablePointer where Pointee == tj_udata {
    @inline(__always) public var value: Value { Value(self) }
    @inline(__always) public var payload: UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(self) + MemoryLayout<tj_udata>.size
    }
}

extension Heap {
    // MARK: prototypes

    /// Builds the runtime prototype tree for `p` (constants interned, children built, the Swift
    /// Proto retained for debug information). Prototypes are GC objects: keep the result reachable
    /// (from a closure or a root) before the next collection.
    public func newProto(_ p: Proto) throws -> ProtoRef {
        try withoutCollection { try buildProto(p) }
    }

    func buildProto(_ p: Proto) throws -> ProtoRef {
        // Children first: if anything fails, what was built is simply garbage.
        var children: [ProtoRef] = []
        children.reserveCapacity(p.protos.count)
        for c in p.protos { children.append(try buildProto(c)) }
        var consts: [Value] = []
        consts.reserveCapacity(p.constants.count)
        for k in p.constants {
            switch k {
            case .number(let d): consts.append(Value(canonicalizing: d))
            case .string(let s): consts.append(Value(try intern(s)))
            }
        }
        let ncode = p.code.count, nk = consts.count, nchild = children.count, nuv = p.upvalues.count
        let size = Heap.protoSize(ncode: ncode, nk: nk, nchild: nchild, nuv: nuv)
        let raw = try allocRaw(size)
        let pr = raw.bindMemory(to: tj_proto.self, capacity: 1)
        var off = MemoryLayout<tj_proto>.size
        let kp = (raw + off).assumingMemoryBound(to: UInt64.self); off += nk * 8
        let cp = (raw + off).assumingMemoryBound(to: ProtoRef?.self); off += nchild * 8
        let code = (raw + off).assumingMemoryBound(to: UInt32.self); off += ncode * 4
        let uv = (raw + off).assumingMemoryBound(to: UInt16.self)
        for i in 0..<nk { kp[i] = consts[i].bits }
        for i in 0..<nchild { cp[i] = children[i] }
        for i in 0..<ncode { code[i] = p.code[i].raw }
        for i in 0..<nuv {
            let d = p.upvalues[i]
            uv[i] = (d.inParentFrame ? 0x8000 : 0) | UInt16(truncatingIfNeeded: d.index & 0x7FFF)
        }
        pr.pointee.numparams = UInt8(truncatingIfNeeded: p.numParams)
        pr.pointee.isvararg = p.isVararg ? 1 : 0
        pr.pointee.id = st.pointee.nextProtoId
        if protoIndex != nil { protoIndex?[st.pointee.nextProtoId] = p }
        st.pointee.nextProtoId &+= 1
        pr.pointee.framesize = UInt32(truncatingIfNeeded: p.frameSize)
        pr.pointee.ncode = UInt32(ncode)
        pr.pointee.nk = UInt32(nk)
        pr.pointee.nchild = UInt32(nchild)
        pr.pointee.nuv = UInt32(nuv)
        pr.pointee.linedefined = UInt32(truncatingIfNeeded: max(p.lineDefined, 0))
        pr.pointee.code = UnsafePointer(code)
        pr.pointee.k = kp
        pr.pointee.child = cp
        pr.pointee.uvdesc = uv
        pr.pointee.owner = Unmanaged.passRetained(p).toOpaque()
        pr.pointee.jit = nil
        pr.pointee.interp = nil
        pr.pointee.nclosures = 0
        pr.pointee.pad3 = 0
        link(GCRef(OpaquePointer(pr)), GCT.proto)
        return pr
    }

    // MARK: closures

    /// A Lua closure of `proto` with `proto.nuv` upvalue pointers, all nil: the caller fills them
    /// (FNEW) before the next collection point.
    public func newLuaFunction(_ proto: ProtoRef, env: TableRef?) throws -> LFuncRef {
        let n = Int(proto.pointee.nuv)
        let raw = try allocRaw(Heap.lfuncSize(n))
        let f = raw.bindMemory(to: tj_lfunc.self, capacity: 1)
        f.pointee.nupvals = UInt8(truncatingIfNeeded: n)
        f.pointee.pad = 0
        f.pointee.pad2 = 0
        f.pointee.proto = proto
        f.pointee.env = env
        let uv = f.upvalues
        for i in 0..<n { uv[i] = nil }
        link(GCRef(OpaquePointer(f)), GCT.lfunc)
        return f
    }

    /// A native function: builtin number `builtin` (the interpreter's table) with `upvalues` inline
    /// upvalue values, nil-initialized.
    public func newNativeFunction(builtin: Int, upvalues n: Int = 0, env: TableRef? = nil) throws -> CFuncRef {
        let n = min(max(n, 0), 255)
        let raw = try allocRaw(Heap.cfuncSize(n))
        let f = raw.bindMemory(to: tj_cfunc.self, capacity: 1)
        f.pointee.nupvals = UInt8(n)
        f.pointee.pad = 0
        f.pointee.builtin = UInt32(truncatingIfNeeded: builtin)
        f.pointee.env = env
        let uv = f.upvalues
        for i in 0..<n { uv[i] = .nil }
        link(GCRef(OpaquePointer(f)), GCT.cfunc)
        return f
    }

    // MARK: upvalues

    /// A new closed upvalue holding `v` (for closures made outside any frame).
    public func newClosedUpvalue(_ v: Value) throws -> UpvalRef {
        let raw = try allocRaw(MemoryLayout<tj_upval>.size)
        let u = raw.bindMemory(to: tj_upval.self, capacity: 1)
        u.pointee.isclosed = 1
        u.pointee.pad = 0
        u.pointee.pad2 = 0
        u.pointee.closed = v.bits
        u.pointee.v = UnsafeMutableRawPointer(u).advanced(by: MemoryLayout<tj_upval>.offset(of: \tj_upval.closed)!)
            .assumingMemoryBound(to: UInt64.self)
        u.pointee.nextopen = nil
        link(GCRef(OpaquePointer(u)), GCT.upval)
        return u
    }

    /// The open upvalue of `thread` for stack slot `slot`, created if there is none (FNEW).
    public func findUpvalue(_ thread: ThreadRef, slot: UnsafeMutablePointer<Value>) throws -> UpvalRef {
        let target = UnsafeMutableRawPointer(slot).assumingMemoryBound(to: UInt64.self)
        var prev: UpvalRef? = nil
        var cur = thread.pointee.openupval
        while let u = cur, u.pointee.v >= target {
            if u.pointee.v == target { return u }
            prev = u
            cur = u.pointee.nextopen
        }
        let raw = try allocRaw(MemoryLayout<tj_upval>.size)
        let u = raw.bindMemory(to: tj_upval.self, capacity: 1)
        u.pointee.isclosed = 0
        u.pointee.pad = 0
        u.pointee.pad2 = 0
        u.pointee.closed = Value.nil.bits
        u.pointee.v = target
        u.pointee.nextopen = cur
        if let p = prev { p.pointee.nextopen = u } else { thread.pointee.openupval = u }
        link(GCRef(OpaquePointer(u)), GCT.upval)
        return u
    }

    /// Closes every open upvalue of `thread` that refers to `level` or a slot above it (UCLO, RET).
    @inline(__always) public func closeUpvalues(_ thread: ThreadRef, level: UnsafeMutablePointer<Value>) {
        let lim = UnsafeMutableRawPointer(level).assumingMemoryBound(to: UInt64.self)
        while let u = thread.pointee.openupval, u.pointee.v >= lim {
            thread.pointee.openupval = u.pointee.nextopen
            u.pointee.closed = u.pointee.v.pointee
            u.pointee.v = UnsafeMutableRawPointer(u).advanced(by: MemoryLayout<tj_upval>.offset(of: \tj_upval.closed)!)
                .assumingMemoryBound(to: UInt64.self)
            u.pointee.isclosed = 1
            u.pointee.nextopen = nil
        }
    }

    // MARK: coroutines

    /// Slots reserved for the main coroutine's stack and for other coroutines' stacks.
    public static let mainStackSlots = 1 << 20
    public static let coroutineStackSlots = 1 << 18
    /// Bytes a coroutine's stack counts for in totalBytes (the reservation itself is virtual).
    static let stackAccountBytes = 4096

    // Cache colouring of coroutine stacks and call records. Both are page-aligned mappings, so the
    // first slots of every coroutine fell in the same cache sets: a ring of 500 coroutines missed
    // the cache at every switch (perf: a third of resume's time on one load of the yield's call
    // record). Each mapping gets one extra page and starts at the next of 64 line offsets in it.
    static let colorSlots = 512                  // one page of Values
    nonisolated(unsafe) static var colorCounter = 0
    /// The next colour, 0 ..< 64 (a cache-line offset within a page).
    static func nextColor() -> Int {
        colorCounter = (colorCounter &+ 1) & 63
        return colorCounter
    }
    /// The page holding p (the start of a coloured mapping).
    static func pageStart(_ p: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: UInt(bitPattern: p) & ~UInt(4095)).unsafelyUnwrapped
    }

    // Spare mappings. Coroutine stacks and call-record arrays are mmap'd regions; a program that
    // creates and drops coroutines at a high rate spent most of its time in mmap, munmap and
    // first-touch page faults (24 µs per short-lived coroutine, against 0.5 µs in lua5.4). Freed
    // regions are kept (at most spareLimit of them, spareResidentLimit bytes touched in all) and
    // handed out again for the same size. A region is zeroed up to the extent its owner may have
    // written before it is kept, so a reused stack holds no stale references (0 reads as 0.0).
    static let spareLimit = 1024
    static let spareDirtyLimit = 256 * 1024
    static let spareResidentLimit = 16 << 20

    /// A kept region of `bytes` bytes (reading as zeros), or nil.
    func takeSpareMapping(bytes: Int) -> UnsafeMutableRawPointer? {
        let sp = st.pointee.spare
        var i = st.pointee.spareCount - 1
        while i >= 0 {
            if sp[i].bytes == bytes {
                let p = sp[i].base
                st.pointee.spareResident &-= sp[i].dirty
                st.pointee.spareCount &-= 1
                sp[i] = sp[st.pointee.spareCount]
                return p
            }
            i -= 1
        }
        return nil
    }

    /// Gives back a region from mmap (or takeSpareMapping) whose first `dirty` bytes may have been
    /// written: kept for reuse (zeroed, unless `clear` is false) when small enough, else unmapped.
    func releaseMapping(_ base: UnsafeMutableRawPointer, bytes: Int, dirty: Int, clear: Bool = true) {
        let d = min(max(dirty, 0), bytes)
        let kept = (d + 4095) & ~4095
        if d <= Heap.spareDirtyLimit && st.pointee.spareCount < Heap.spareLimit
            && st.pointee.spareResident + kept <= Heap.spareResidentLimit {
            if d > 0 && clear { memset(base, 0, d) }
            st.pointee.spare[st.pointee.spareCount] = SpareMapping(base: base, bytes: bytes, dirty: kept)
            st.pointee.spareCount &+= 1
            st.pointee.spareResident &+= kept
            return
        }
        munmap(base, bytes)
    }

    /// Unmaps every kept region (heap teardown).
    func releaseSpareMappings() {
        for i in 0..<st.pointee.spareCount { munmap(st.pointee.spare[i].base, st.pointee.spare[i].bytes) }
        st.pointee.spareCount = 0
        st.pointee.spareResident = 0
    }

    /// A coroutine whose stack is a fixed reservation of `stackSize` slots that never moves
    /// (mmap'd with MAP_NORESERVE: pages are committed on first touch, and read as 0.0 until
    /// written). top = 0, status suspended. The GC marks exactly stack[0, top).
    public func newThread(stackSize: Int = Heap.coroutineStackSlots, env: TableRef? = nil) throws -> ThreadRef {
        let n = max(stackSize, 16)
        if n > 1 << 32 { throw HeapError.outOfMemory }
        let raw = try allocRaw(MemoryLayout<tj_thread>.size)
        let bytes = (n + Heap.colorSlots) * 8
        guard let m = takeSpareMapping(bytes: bytes)
                ?? mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              m != MAP_FAILED else {
            freeRaw(raw, MemoryLayout<tj_thread>.size)
            throw HeapError.outOfMemory
        }
        st.pointee.totalBytes &+= Heap.stackAccountBytes
        memset(raw, 0, MemoryLayout<tj_thread>.size)
        let th = raw.bindMemory(to: tj_thread.self, capacity: 1)
        th.pointee.stack = (m + Heap.nextColor() * 64).assumingMemoryBound(to: UInt64.self)
        th.pointee.stacksize = UInt32(n)
        th.pointee.top = 0
        th.pointee.status = UInt8(truncatingIfNeeded: TJ_CO_SUSPENDED)
        th.pointee.env = env
        th.pointee.nextthread = st.pointee.threads
        st.pointee.threads = th
        link(GCRef(OpaquePointer(th)), GCT.thread)
        return th
    }

    func freeThreadStack(_ th: ThreadRef) {
        if let s = th.pointee.stack {
            // Slots at or above `top` hold no references (the VM's thread finalizer raises `top`
            // over whatever it may have written above it).
            let m = Heap.pageStart(UnsafeMutableRawPointer(s))
            let used = UnsafeMutableRawPointer(s) + Int(min(th.pointee.top, th.pointee.stacksize)) * 8 - m
            releaseMapping(m, bytes: (Int(th.pointee.stacksize) + Heap.colorSlots) * 8, dirty: used)
            st.pointee.totalBytes &-= Heap.stackAccountBytes
            th.pointee.stack = nil
        }
    }

    // MARK: userdata

    /// Full userdata with `size` payload bytes (zeroed). If its metatable (set now or later) has
    /// `__gc`, the `finalizer` hook runs once after it becomes unreachable.
    public func newUserdata(size: Int, metatable: TableRef? = nil, env: TableRef? = nil) throws -> UdataRef {
        let n = max(size, 0)
        if n > 1 << 46 { throw HeapError.outOfMemory }
        let raw = try allocRaw(Heap.udataSize(n))
        memset(raw, 0, Heap.udataSize(n))
        let u = raw.bindMemory(to: tj_udata.self, capacity: 1)
        u.pointee.metatable = metatable
        u.pointee.env = env
        u.pointee.len = UInt64(n)
        let o = GCRef(OpaquePointer(u))
        o.pointee.gct = GCT.udata
        o.pointee.marked = 0
        o.pointee.gcnext = st.pointee.udata
        st.pointee.udata = o
        st.pointee.objectCount &+= 1
        return u
    }
}
