// Heap: allocation, accounting and the precise mark-and-sweep collector (ARCHITECTURE decision 2).
//
// Every Lua object lives in malloc'd memory with the C layout of tj_vm.h and never moves. All
// objects except strings are linked through their header's `gcnext` on one all-objects list;
// strings live only in the intern table (StringTable.swift), whose chains also use `gcnext`, so the
// intern table is weak: a string nobody marks is freed by the sweep.
//
// The collector is stop-the-world and non-incremental, so no write barriers exist. A collection:
//   1. marks the heap's own roots (fixed objects need no marking: they are never freed),
//   2. asks the VM's root provider (`rootMarker`, called once per collection) to `mark` its roots:
//      coroutine stacks, globals, registry, open upvalues, prototype constants, trace constants,
//   3. propagates marks through a gray stack (a malloc'd array, no recursion),
//   4. clears weak tables (`__mode` "k", "v", "kv"; strings are values, never cleared, as in 5.1),
//   5. closes the open upvalues of dead coroutines, then sweeps objects and strings.
//
// When collections happen: the VM calls `checkGC()` at safe points (where every live value is
// reachable from its roots); it collects once `totalBytes` passes `threshold` (= live bytes after
// the last collection * pause / 100). Allocation itself never collects unless the VM has promised,
// by setting `allocMayCollect`, that every allocation is a safe point. At the memory ceiling
// (`maxMemory`) an allocation collects first when allowed, then throws `HeapError.outOfMemory`
// leaving the heap intact. `stress` makes every `checkGC()` (and every allocation when allowed)
// run a full collection.
import Bytecode
import Glibc

/// Errors of the data layer; the interpreter turns them into Lua errors with position information.
public enum HeapError: Error, Equatable, CustomStringConvertible {
    case outOfMemory
    case tableIndexIsNil
    case tableIndexIsNaN
    case invalidKeyToNext

    /// The message Lua gives (without position).
    public var message: String {
        switch self {
        case .outOfMemory: return "not enough memory"
        case .tableIndexIsNil: return "table index is nil"
        case .tableIndexIsNaN: return "table index is NaN"
        case .invalidKeyToNext: return "invalid key to 'next'"
        }
    }
    public var description: String { message }
}

/// The collector's hot state, kept behind a pointer so the class's `let` fields need no exclusivity
/// checks on hot paths.
@usableFromInline struct HeapState {
    @usableFromInline var totalBytes: Int = 0
    @usableFromInline var threshold: Int = 256 * 1024
    /// checkGC() takes its slow path when totalBytes >= trigger: the threshold, 0 in stress mode or
    /// with finalizers due, Int.max when stopped.
    @usableFromInline var trigger: Int = 256 * 1024
    /// allocRaw() takes its slow path when totalBytes + size > allocLimit: maxMemory, or -1 in
    /// stress mode.
    @usableFromInline var allocLimit: Int = Int.max
    @usableFromInline var freeListBytes: Int = 0
    @usableFromInline var maxMemory: Int = Int.max
    @usableFromInline var allgc: GCRef? = nil
    @usableFromInline var threads: ThreadRef? = nil
    /// Full userdata live on their own list (so finalizable ones can be found without a full walk).
    @usableFromInline var udata: GCRef? = nil
    /// Userdata whose __gc is due (resurrected until the finalizer hook has run), in order.
    @usableFromInline var pendingFinalizers: GCRef? = nil
    @usableFromInline var objectCount: Int = 0
    @usableFromInline var stringCount: Int = 0
    // Intern table.
    @usableFromInline var strtab: UnsafeMutablePointer<StringRef?>
    @usableFromInline var strmask: Int
    @usableFromInline var seed: UInt64
    // Collector.
    @usableFromInline var gray: UnsafeMutablePointer<GCRef>
    @usableFromInline var graySize: Int
    @usableFromInline var grayTop: Int = 0
    @usableFromInline var weak: TableRef? = nil
    @usableFromInline var running: Bool = true
    @usableFromInline var inGC: Bool = false
    @usableFromInline var noCollect: Int = 0
    @usableFromInline var stress: Bool = false
    @usableFromInline var allocMayCollect: Bool = false
    @usableFromInline var pause: Int = 200
    @usableFromInline var stepmul: Int = 200
    @usableFromInline var collections: Int = 0
    @usableFromInline var nextProtoId: UInt32 = 1
    @usableFromInline var mmnames: UnsafeMutablePointer<StringRef?>
    @usableFromInline var freeLists: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    @usableFromInline var scratch: UnsafeMutablePointer<UInt8>? = nil
    @usableFromInline var scratchSize: Int = 0
    @usableFromInline var gcNanoseconds: Int = 0
    /// Kept mmap'd regions (Heap.takeSpareMapping), `spareCount` of them, `spareResident` bytes.
    @usableFromInline var spare: UnsafeMutablePointer<SpareMapping>
    @usableFromInline var spareCount: Int = 0
    @usableFromInline var spareResident: Int = 0

    init() {
        strmask = 255
        strtab = .allocate(capacity: 256)
        strtab.initialize(repeating: nil, count: 256)
        graySize = 1024
        gray = .allocate(capacity: 1024)
        mmnames = .allocate(capacity: MetaEvent.allCases.count)
        mmnames.initialize(repeating: nil, count: MetaEvent.allCases.count)
        seed = tj_random_seed() | 1
        freeLists = .allocate(capacity: Heap.smallLimit / 16 + 1)
        freeLists.initialize(repeating: nil, count: Heap.smallLimit / 16 + 1)
        spare = .allocate(capacity: Heap.spareLimit)
    }
}

/// A kept mmap'd region: `dirty` bytes of it (rounded to pages) are resident, all zero.
@usableFromInline struct SpareMapping {
    var base: UnsafeMutableRawPointer
    var bytes: Int
    var dirty: Int
}

/// Metamethod events, in the order of TJ_MM_* (the bit numbers of a table's `nomm` cache).
public enum MetaEvent: Int32, CaseIterable, Sendable {
    case index, newindex, gc, mode, eq, len, lt, le, concat, call
    case add, sub, mul, div, mod, pow, unm, metatable, tostring

    public var name: String { "__" + String(describing: self) }
}

public final class Heap {
    @usableFromInline let st: UnsafeMutablePointer<HeapState>

    /// Called once per collection to mark the VM's roots with `mark(_:)`.
    public var rootMarker: ((Heap) -> Void)?
    /// More root providers (e.g. the JIT's trace constants), each called once per collection.
    var extraRootMarkers: [(id: Int, mark: (Heap) -> Void)] = []
    var nextRootMarkerId = 1

    /// Adds a root provider called once per collection after `rootMarker`; returns its id.
    @discardableResult
    public func addRootMarker(_ f: @escaping (Heap) -> Void) -> Int {
        let id = nextRootMarkerId
        nextRootMarkerId += 1
        extraRootMarkers.append((id, f))
        return id
    }

    public func removeRootMarker(_ id: Int) {
        extraRootMarkers.removeAll { $0.id == id }
    }

    /// Called when the GC traverses a coroutine, after its stack [0, top), env and open upvalues:
    /// mark whatever the interpreter keeps for it elsewhere (e.g. saved frames' functions).
    public var threadMarker: ((Heap, ThreadRef) -> Void)?
    /// Called at a safe point (the end of `checkGC()` or `collect()`) for each unreachable userdata
    /// whose metatable has `__gc`, with that function, once per object (Lua 5.1 semantics: the
    /// object and what it references stay alive until the finalizer has run; it is freed by a
    /// later collection if still unreachable). Without a hook, such userdata are simply freed.
    public var finalizer: ((UdataRef, Value) -> Void)?
    /// Called just before a dead coroutine is freed (after its open upvalues are closed), so the
    /// interpreter can release what it hangs on `tj_thread.interp`.
    public var threadFinalizer: ((ThreadRef) -> Void)?
    /// Prototypes by id, kept only after `recordPrototypes()` (for profiles; ProfilerSupport.swift).
    var protoIndex: [UInt32: Proto]?

    public init(maxMemory: Int = Int.max) {
        st = .allocate(capacity: 1)
        st.initialize(to: HeapState())
        for e in MetaEvent.allCases {
            // No ceiling is set yet, so only a failing malloc could leave a name unset.
            if let s = try? intern(e.name) {
                s.pointee.marked |= UInt8(TJ_MARK_FIXED)
                s.pointee.reserved = UInt8(e.rawValue + 1)
                st.pointee.mmnames[Int(e.rawValue)] = s
            }
        }
        st.pointee.maxMemory = maxMemory
        setThreshold()
    }

    deinit {
        freeAll()
        releaseSpareMappings()
        st.pointee.spare.deallocate()
        releaseFreeLists()
        st.pointee.freeLists.deallocate()
        st.pointee.scratch?.deallocate()
        st.pointee.strtab.deallocate()
        st.pointee.gray.deallocate()
        st.pointee.mmnames.deallocate()
        st.deinitialize(count: 1)
        st.deallocate()
    }

    // MARK: tunables and statistics

    /// Bytes currently allocated for Lua objects (collectgarbage("count") * 1024).
    @inline(__always) public var totalBytes: Int { st.pointee.totalBytes }
    /// Number of live objects (strings included) as of now, collected or not.
    public var objectCount: Int { st.pointee.objectCount + st.pointee.stringCount }
    public var stringCount: Int { st.pointee.stringCount }
    /// Number of completed collections.
    public var collections: Int { st.pointee.collections }
    /// Wall time spent in collections so far (for profiles and statistics).
    public var gcNanoseconds: Int { st.pointee.gcNanoseconds }
    /// The next automatic collection starts when totalBytes passes this.
    public var threshold: Int {
        get { st.pointee.threshold }
        set { st.pointee.threshold = newValue; updateTriggers() }
    }
    /// Memory ceiling in bytes; allocations past it throw HeapError.outOfMemory.
    public var maxMemory: Int {
        get { st.pointee.maxMemory }
        set { st.pointee.maxMemory = newValue; setThreshold() }
    }
    /// Collect at every checkGC() (and every allocation when allocMayCollect).
    public var stress: Bool {
        get { st.pointee.stress }
        set { st.pointee.stress = newValue; updateTriggers() }
    }
    /// The VM promises every allocation happens at a safe point (all live values rooted).
    public var allocMayCollect: Bool {
        get { st.pointee.allocMayCollect }
        set { st.pointee.allocMayCollect = newValue }
    }
    /// collectgarbage("stop") / ("restart"): automatic collections off / on.
    public var isRunning: Bool {
        get { st.pointee.running }
        set { st.pointee.running = newValue; updateTriggers() }
    }
    /// collectgarbage("setpause"): returns the previous value.
    @discardableResult public func setPause(_ p: Int) -> Int {
        let old = st.pointee.pause
        st.pointee.pause = max(p, 0)
        setThreshold()
        return old
    }
    /// collectgarbage("setstepmul"): returns the previous value.
    @discardableResult public func setStepMul(_ m: Int) -> Int {
        let old = st.pointee.stepmul
        st.pointee.stepmul = max(m, 1)
        return old
    }
    /// collectgarbage("count"): kilobytes in use.
    public var countKB: Double { Double(st.pointee.totalBytes) / 1024 }

    /// A fixed, interned metamethod name ("__index", ...).
    @inline(__always) public func mmName(_ e: MetaEvent) -> StringRef {
        st.pointee.mmnames[Int(e.rawValue)].unsafelyUnwrapped
    }

    // MARK: raw allocation

    /// Allocates `size` bytes of object memory, accounting it. Throws at the ceiling (after a
    /// collection when allowed). The memory is uninitialized.
    @inline(__always) func allocRaw(_ size: Int) throws -> UnsafeMutableRawPointer {
        if size > st.pointee.allocLimit &- st.pointee.totalBytes { try allocPressure(size) }
        st.pointee.totalBytes &+= size
        if size <= Heap.smallLimit {
            // Small blocks come from per-size-class free lists (16-byte classes), refilled by malloc.
            let c = (size &+ 15) >> 4
            if let p = st.pointee.freeLists[c] {
                st.pointee.freeLists[c] = p.load(as: UnsafeMutableRawPointer?.self)
                st.pointee.freeListBytes &-= c << 4
                return p
            }
            if let p = malloc(c << 4) { return p }
        } else if let p = malloc(size) {
            return p
        }
        st.pointee.totalBytes &-= size
        throw HeapError.outOfMemory
    }

    /// Blocks up to this size are recycled through free lists instead of going back to malloc.
    static let smallLimit = 512

    @inline(never) func allocPressure(_ size: Int) throws {
        if st.pointee.allocMayCollect && !st.pointee.inGC && st.pointee.noCollect == 0 {
            fullGC()
        }
        if size < 0 || size > st.pointee.maxMemory &- st.pointee.totalBytes { throw HeapError.outOfMemory }
    }

    @inline(__always) func freeRaw(_ p: UnsafeMutableRawPointer, _ size: Int) {
        st.pointee.totalBytes &-= size
        if size <= Heap.smallLimit {
            let c = (size &+ 15) >> 4
            p.storeBytes(of: st.pointee.freeLists[c], as: UnsafeMutableRawPointer?.self)
            st.pointee.freeLists[c] = p
            st.pointee.freeListBytes &+= c << 4
        } else {
            free(p)
        }
    }

    /// Returns the free lists' blocks to malloc (at teardown; also useful after a big phase).
    public func releaseFreeLists() {
        for c in 0...(Heap.smallLimit >> 4) {
            var p = st.pointee.freeLists[c]
            while let b = p {
                p = b.load(as: UnsafeMutableRawPointer?.self)
                free(b)
            }
            st.pointee.freeLists[c] = nil
        }
        st.pointee.freeListBytes = 0
    }

    /// Links a new object on the all-objects list.
    @inline(__always) func link(_ o: GCRef, _ gct: UInt8) {
        o.pointee.gct = gct
        o.pointee.marked = 0
        o.pointee.gcnext = st.pointee.allgc
        st.pointee.allgc = o
        st.pointee.objectCount &+= 1
    }

    /// Runs `body` with collections from allocation disabled (for multi-allocation constructors).
    @inline(__always) func withoutCollection<T>(_ body: () throws -> T) rethrows -> T {
        st.pointee.noCollect += 1
        defer { st.pointee.noCollect -= 1 }
        return try body()
    }

    /// Makes an object permanent: it is never collected (and needs no marking).
    public func fix(_ o: GCRef) { o.pointee.marked |= UInt8(TJ_MARK_FIXED) }
    public func fix(_ v: Value) { if v.isCollectable { fix(v.object) } }

    // MARK: collection control

    /// A safe point: collects if the allocation debt passed the threshold (or in stress mode).
    @inline(__always) public func checkGC() {
        if st.pointee.totalBytes >= st.pointee.trigger { checkGCSlow() }
    }

    @inline(never) func checkGCSlow() {
        if st.pointee.noCollect > 0 { return }
        if (st.pointee.totalBytes >= st.pointee.threshold && st.pointee.running) || st.pointee.stress {
            collect()
        } else {
            runFinalizers()
        }
    }

    /// collectgarbage("step", kb): the collector is not incremental, so a step is a full collection
    /// once the added debt (kb kilobytes, scaled by stepmul) passes the threshold, or when kb == 0.
    /// Returns true when a collection finished (as Lua returns true at the end of a cycle).
    @discardableResult public func step(_ kb: Int = 0) -> Bool {
        if kb <= 0 { collect(); return true }
        let debt = kb &* 1024 &* st.pointee.stepmul / 100
        if st.pointee.totalBytes &+ debt >= st.pointee.threshold { collect(); return true }
        st.pointee.threshold &-= debt
        updateTriggers()
        return false
    }

    /// Next automatic collection: at live * pause / 100 (at least 256 KB: a small heap is not
    /// collected while a program is just starting); with a ceiling, no later
    /// than 7/8 of it (or halfway from the live size to it), so safe-point collections run before
    /// allocations start failing.
    func setThreshold() {
        let live = st.pointee.totalBytes
        var t = max(live / 100 * st.pointee.pause, 256 * 1024)
        let m = st.pointee.maxMemory
        if m != Int.max {
            let clamp = m - m / 8
            t = min(t, live < clamp ? clamp : live + (m - live) / 2)
        }
        st.pointee.threshold = t
        updateTriggers()
    }

    /// Recomputes the single-compare triggers of checkGC() and allocRaw().
    func updateTriggers() {
        if st.pointee.stress || st.pointee.pendingFinalizers != nil {
            st.pointee.trigger = 0
        } else {
            st.pointee.trigger = st.pointee.running ? st.pointee.threshold : Int.max
        }
        st.pointee.allocLimit = st.pointee.stress ? -1 : st.pointee.maxMemory
    }

    // MARK: marking

    /// Marks a value reachable (call only from the root provider or the thread hook).
    @inline(__always) public func mark(_ v: Value) {
        if v.isCollectable { mark(v.object) }
    }

    @inline(__always) public func mark(_ o: GCRef) {
        if o.pointee.marked & UInt8(TJ_MARK_BLACK) == 0 { markSlow(o) }
    }
    @inline(__always) public func mark(_ t: TableRef) { mark(GCRef(OpaquePointer(t))) }
    @inline(__always) public func mark(_ s: StringRef) {
        assert(s.pointee.gct == GCT.string, "GC: a root or object references a freed string")
        s.pointee.marked |= UInt8(TJ_MARK_BLACK)
    }
    @inline(__always) public func mark(_ p: ProtoRef) { mark(GCRef(OpaquePointer(p))) }
    @inline(__always) public func mark(_ th: ThreadRef) { mark(GCRef(OpaquePointer(th))) }
    @inline(__always) public func mark(_ f: LFuncRef) { mark(GCRef(OpaquePointer(f))) }
    @inline(__always) public func mark(_ u: UpvalRef) { mark(GCRef(OpaquePointer(u))) }
    @inline(__always) public func mark(_ f: CFuncRef) { mark(GCRef(OpaquePointer(f))) }
    @inline(__always) public func mark(_ u: UdataRef) { mark(GCRef(OpaquePointer(u))) }

    /// Marks `count` consecutive values.
    public func mark(values p: UnsafePointer<Value>, count: Int) {
        var i = 0
        while i < count { mark(p[i]); i &+= 1 }
    }

    @inline(never) func markSlow(_ o: GCRef) {
        assert(o.pointee.gct != Heap.freedType, "GC: a root or object references a freed object")
        o.pointee.marked |= UInt8(TJ_MARK_BLACK)
        if o.pointee.gct == GCT.string { return }
        if st.pointee.grayTop == st.pointee.graySize {
            let n = st.pointee.graySize * 2
            let g = UnsafeMutablePointer<GCRef>.allocate(capacity: n)
            g.moveInitialize(from: st.pointee.gray, count: st.pointee.grayTop)
            st.pointee.gray.deallocate()
            st.pointee.gray = g
            st.pointee.graySize = n
        }
        st.pointee.gray[st.pointee.grayTop] = o
        st.pointee.grayTop &+= 1
    }

    // MARK: the collector

    /// A full stop-the-world collection, then any due finalizers (collectgarbage("collect")).
    public func collect() {
        if st.pointee.noCollect > 0 { return }   // inside a library call from a trace
        fullGC()
        runFinalizers()
    }

    /// Calls the finalizer hook for every queued userdata (each one once).
    public func runFinalizers() {
        while let o = st.pointee.pendingFinalizers {
            if st.pointee.inGC { return }
            st.pointee.pendingFinalizers = o.pointee.gcnext
            // Back on the userdata list: freed by a later collection once unreachable.
            o.pointee.gcnext = st.pointee.udata
            st.pointee.udata = o
            let u = UdataRef(OpaquePointer(o))
            guard let hook = finalizer, let mt = u.pointee.metatable else { continue }
            let gc = metamethod(mt, .gc)
            if !gc.isNil { hook(u, gc) }
        }
        updateTriggers()
    }

    /// The collection itself (no finalizers run: allocation may call this).
    func fullGC() {
        if st.pointee.inGC { return }
        st.pointee.inGC = true
        let savedTag = tj_vm_state.tag
        tj_vm_state.tag = UInt32(truncatingIfNeeded: TJ_VMSTATE_GC)
        var t0 = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t0)
        rootMarker?(self)
        for r in extraRootMarkers { r.mark(self) }
        var f = st.pointee.pendingFinalizers
        while let o = f { mark(o); f = o.pointee.gcnext }
        propagate()
        separateFinalizable()
        propagate()
        clearWeakTables()
        closeDeadThreads()
        sweepObjects()
        sweepUserdata()
        sweepStrings()
        st.pointee.collections &+= 1
        if st.pointee.freeListBytes > max(st.pointee.totalBytes * 2, 16 << 20) { releaseFreeLists() }
        setThreshold()
        var t1 = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t1)
        st.pointee.gcNanoseconds &+= (t1.tv_sec - t0.tv_sec) * 1_000_000_000 + (t1.tv_nsec - t0.tv_nsec)
        tj_vm_state.tag = savedTag
        st.pointee.inGC = false
    }

    func propagate() {
        while st.pointee.grayTop > 0 {
            st.pointee.grayTop &-= 1
            let o = st.pointee.gray[st.pointee.grayTop]
            switch o.pointee.gct {
            case GCT.table: traverseTable(TableRef(OpaquePointer(o)))
            case GCT.lfunc:
                let f = LFuncRef(OpaquePointer(o))
                mark(f.pointee.proto)
                if let e = f.pointee.env { mark(e) }
                let uv = f.upvalues
                for i in 0..<Int(f.pointee.nupvals) { if let u = uv[i] { mark(u) } }
            case GCT.cfunc:
                let f = CFuncRef(OpaquePointer(o))
                if let e = f.pointee.env { mark(e) }
                mark(values: f.upvalues, count: Int(f.pointee.nupvals))
            case GCT.upval:
                let u = UpvalRef(OpaquePointer(o))
                mark(Value(bits: u.pointee.v.pointee))
            case GCT.thread:
                let th = ThreadRef(OpaquePointer(o))
                if let s = th.pointee.stack {
                    mark(values: UnsafeRawPointer(s).assumingMemoryBound(to: Value.self),
                         count: Int(min(th.pointee.top, th.pointee.stacksize)))
                }
                if let e = th.pointee.env { mark(e) }
                var u = th.pointee.openupval
                while let uv = u { mark(uv); u = uv.pointee.nextopen }
                threadMarker?(self, th)
            case GCT.udata:
                let u = UdataRef(OpaquePointer(o))
                if let m = u.pointee.metatable { mark(m) }
                if let e = u.pointee.env { mark(e) }
            case GCT.proto:
                let p = ProtoRef(OpaquePointer(o))
                mark(values: UnsafeRawPointer(p.pointee.k).assumingMemoryBound(to: Value.self),
                     count: Int(p.pointee.nk))
                for i in 0..<Int(p.pointee.nchild) { mark(p.pointee.child[i]!) }
            default: break
            }
        }
    }

    /// Marks a table's contents, honouring `__mode`; weak tables go on the weak list.
    func traverseTable(_ t: TableRef) {
        var weak: UInt8 = 0
        if let mt = t.pointee.metatable {
            mark(mt)
            let mode = metamethod(mt, .mode)
            if mode.isString {
                let s = mode.string
                let n = Int(s.pointee.len)
                s.withBytes { b in
                    for i in 0..<n {
                        if b[i] == UInt8(ascii: "k") { weak |= UInt8(TJ_WEAK_KEYS) }
                        if b[i] == UInt8(ascii: "v") { weak |= UInt8(TJ_WEAK_VALUES) }
                    }
                }
            }
        }
        t.pointee.weak = weak
        if weak != 0 {
            t.pointee.gclist = GCRef(OpaquePointer(st.pointee.weak))
            st.pointee.weak = t
        }
        let weakKeys = weak & UInt8(TJ_WEAK_KEYS) != 0
        let weakValues = weak & UInt8(TJ_WEAK_VALUES) != 0
        let arr = t.arrayValues
        let asize = Int(t.pointee.asize)
        if weakValues {
            for i in 0..<asize where arr[i].isString { mark(arr[i].string) }
        } else {
            mark(values: arr, count: asize)
        }
        if !t.hasHash { return }
        let nodes = t.pointee.node!
        for i in 0...Int(t.pointee.hmask) {
            let n = nodes + i
            let v = Value(bits: n.pointee.val)
            let k = Value(bits: n.pointee.key)
            if v.isNil {
                // Free or deleted: a collectable key becomes a dead key (same payload, so next()
                // still finds it) and need not be marked.
                if k.isCollectable { n.pointee.key = IType.deadKey << 47 | (k.bits & TJ_PAYLOAD_MASK) }
                continue
            }
            if !weakKeys || k.isString { mark(k) }
            if !weakValues || v.isString { mark(v) }
        }
    }

    @inline(__always) static func isCleared(_ v: Value) -> Bool {
        v.isCollectable && !v.isString && v.object.pointee.marked & UInt8(TJ_MARK_BLACK | TJ_MARK_FIXED) == 0
    }

    func clearWeakTables() {
        var w = st.pointee.weak
        while let t = w {
            let weak = t.pointee.weak
            if weak & UInt8(TJ_WEAK_VALUES) != 0 {
                let arr = t.arrayValues
                for i in 0..<Int(t.pointee.asize) where Heap.isCleared(arr[i]) { arr[i] = .nil }
            }
            if t.hasHash {
                let nodes = t.pointee.node!
                for i in 0...Int(t.pointee.hmask) {
                    let n = nodes + i
                    let v = Value(bits: n.pointee.val)
                    if v.isNil { continue }
                    let k = Value(bits: n.pointee.key)
                    if (weak & UInt8(TJ_WEAK_KEYS) != 0 && Heap.isCleared(k))
                        || (weak & UInt8(TJ_WEAK_VALUES) != 0 && Heap.isCleared(v)) {
                        n.pointee.val = Value.nil.bits
                        if k.isCollectable { n.pointee.key = IType.deadKey << 47 | (k.bits & TJ_PAYLOAD_MASK) }
                    }
                }
            }
            t.pointee.weak = 0
            w = TableRef(OpaquePointer(t.pointee.gclist))
            t.pointee.gclist = nil
        }
        st.pointee.weak = nil
    }

    /// Dead coroutines: close their open upvalues (live closures may still use them) and unlink them
    /// from the thread list before anything is freed.
    func closeDeadThreads() {
        var prev: ThreadRef? = nil
        var cur = st.pointee.threads
        while let th = cur {
            let next = th.pointee.nextthread
            if th.pointee.marked & UInt8(TJ_MARK_BLACK | TJ_MARK_FIXED) == 0 {
                if let s = th.pointee.stack { closeUpvalues(th, level: UnsafeMutableRawPointer(s).assumingMemoryBound(to: Value.self)) }
                if let p = prev { p.pointee.nextthread = next } else { st.pointee.threads = next }
            } else {
                prev = th
            }
            cur = next
        }
    }

    /// Unreachable userdata with a __gc metamethod that were never finalized move to the pending
    /// list and are marked (with everything they reference) so they survive this collection.
    func separateFinalizable() {
        var prev: GCRef? = nil
        var cur = st.pointee.udata
        var tail: GCRef? = nil
        while let o = cur {
            let next = o.pointee.gcnext
            let u = UdataRef(OpaquePointer(o))
            if o.pointee.marked & UInt8(TJ_MARK_BLACK | TJ_MARK_FIXED) == 0
                && u.pointee.udflags & UInt8(TJ_UDATA_FINALIZED) == 0
                && u.pointee.metatable.map({ !metamethod($0, .gc).isNil }) == true {
                u.pointee.udflags |= UInt8(TJ_UDATA_FINALIZED)
                if let p = prev { p.pointee.gcnext = next } else { st.pointee.udata = next }
                o.pointee.gcnext = nil
                if let t = tail { t.pointee.gcnext = o } else {
                    // Append after any still-pending ones.
                    var last = st.pointee.pendingFinalizers
                    while let l = last, let n = l.pointee.gcnext { last = n }
                    if let l = last { l.pointee.gcnext = o } else { st.pointee.pendingFinalizers = o }
                }
                tail = o
                mark(o)
            } else {
                prev = o
            }
            cur = next
        }
    }

    func sweepUserdata() {
        sweepList(&st.pointee.udata)
        var f = st.pointee.pendingFinalizers
        while let o = f { o.pointee.marked &= ~UInt8(TJ_MARK_BLACK); f = o.pointee.gcnext }
    }

    func sweepObjects() {
        sweepList(&st.pointee.allgc)
    }

    /// Frees the unmarked, unfixed objects of one gcnext-linked list and whitens the survivors.
    func sweepList(_ head: inout GCRef?) {
        var prev: GCRef? = nil
        var cur = head
        while let o = cur {
            let next = o.pointee.gcnext
            if o.pointee.marked & UInt8(TJ_MARK_BLACK | TJ_MARK_FIXED) == 0 {
                if let p = prev { p.pointee.gcnext = next } else { head = next }
                if o.pointee.gct == GCT.table {
                    // The commonest garbage, freed here without a call (as freeObject does).
                    let t = TableRef(OpaquePointer(o))
                    st.pointee.objectCount &-= 1
                    o.pointee.gct = Heap.freedType
                    if t.hasHash || (t.pointee.asize > 0 && !Heap.arrayIsInline(t, t.arrayValues)) {
                        freeTableParts(t)
                    }
                    freeRaw(UnsafeMutableRawPointer(o), Heap.tableBlockSize(t))
                } else {
                    freeObject(o)
                }
            } else {
                o.pointee.marked &= ~UInt8(TJ_MARK_BLACK)
                prev = o
            }
            cur = next
        }
    }

    func sweepStrings() {
        let tab = st.pointee.strtab
        for b in 0...st.pointee.strmask {
            var prev: StringRef? = nil
            var cur = tab[b]
            while let s = cur {
                let next = StringRef(OpaquePointer(s.pointee.gcnext))
                if s.pointee.marked & UInt8(TJ_MARK_BLACK | TJ_MARK_FIXED) == 0 {
                    if let p = prev { p.pointee.gcnext = s.pointee.gcnext } else { tab[b] = next }
                    st.pointee.stringCount &-= 1
                    s.pointee.gct = Heap.freedType
                    freeRaw(UnsafeMutableRawPointer(s), Heap.stringSize(Int(s.pointee.len)))
                } else {
                    s.pointee.marked &= ~UInt8(TJ_MARK_BLACK)
                    prev = s
                }
                cur = next
            }
        }
    }

    /// The type byte of a freed object (debug builds assert no live reference reaches one).
    static let freedType: UInt8 = 0xFF

    /// Frees one non-string object and its owned blocks.
    func freeObject(_ o: GCRef) {
        st.pointee.objectCount &-= 1
        let raw = UnsafeMutableRawPointer(o)
        let type = o.pointee.gct
        o.pointee.gct = Heap.freedType
        switch type {
        case GCT.table:
            let t = TableRef(OpaquePointer(o))
            freeTableParts(t)
            freeRaw(raw, Heap.tableBlockSize(t))
        case GCT.lfunc:
            let f = LFuncRef(OpaquePointer(o))
            freeRaw(raw, Heap.lfuncSize(Int(f.pointee.nupvals)))
        case GCT.cfunc:
            let f = CFuncRef(OpaquePointer(o))
            freeRaw(raw, Heap.cfuncSize(Int(f.pointee.nupvals)))
        case GCT.upval:
            freeRaw(raw, MemoryLayout<tj_upval>.size)
        case GCT.thread:
            let th = ThreadRef(OpaquePointer(o))
            threadFinalizer?(th)
            freeThreadStack(th)
            freeRaw(raw, MemoryLayout<tj_thread>.size)
        case GCT.udata:
            let u = UdataRef(OpaquePointer(o))
            freeRaw(raw, Heap.udataSize(Int(u.pointee.len)))
        case GCT.proto:
            let p = ProtoRef(OpaquePointer(o))
            if let owner = p.pointee.owner { Unmanaged<Proto>.fromOpaque(owner).release() }
            // p.jit (the JIT's per-pc bytes) belongs to the JIT, which keeps it past the prototype.
            freeRaw(raw, Heap.protoSize(ncode: Int(p.pointee.ncode), nk: Int(p.pointee.nk),
                                        nchild: Int(p.pointee.nchild), nuv: Int(p.pointee.nuv)))
        default:
            break
        }
    }

    /// Frees everything (heap teardown).
    func freeAll() {
        // Close upvalues of all threads first so no upvalue points into a freed stack.
        var cur = st.pointee.allgc
        while let o = cur {
            let next = o.pointee.gcnext
            freeObject(o)
            cur = next
        }
        for list in [st.pointee.udata, st.pointee.pendingFinalizers] {
            var c = list
            while let o = c { c = o.pointee.gcnext; freeObject(o) }
        }
        st.pointee.udata = nil
        st.pointee.pendingFinalizers = nil
        st.pointee.allgc = nil
        st.pointee.threads = nil
        let tab = st.pointee.strtab
        for b in 0...st.pointee.strmask {
            var c = tab[b]
            while let s = c {
                c = StringRef(OpaquePointer(s.pointee.gcnext))
                freeRaw(UnsafeMutableRawPointer(s), Heap.stringSize(Int(s.pointee.len)))
            }
            tab[b] = nil
        }
        st.pointee.stringCount = 0
    }

    // MARK: object sizes

    @inline(__always) static func stringSize(_ len: Int) -> Int { MemoryLayout<tj_str>.size + len + 1 }
    @inline(__always) static func lfuncSize(_ n: Int) -> Int { MemoryLayout<tj_lfunc>.size + n * 8 }
    @inline(__always) static func cfuncSize(_ n: Int) -> Int { MemoryLayout<tj_cfunc>.size + n * 8 }
    @inline(__always) static func udataSize(_ n: Int) -> Int { MemoryLayout<tj_udata>.size + n }
    static func protoSize(ncode: Int, nk: Int, nchild: Int, nuv: Int) -> Int {
        MemoryLayout<tj_proto>.size + nk * 8 + nchild * 8 + ((ncode * 4 + nuv * 2 + 7) & ~7)
    }
}
