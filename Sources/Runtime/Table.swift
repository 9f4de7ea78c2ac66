// Tables: an array part (keys 1...asize at array[0..<asize]) and a hash part (a chained scatter
// table with Brent's variation, as Lua 5.1's: every colliding key that is not in its own main
// position is moved to make room for one that is, so chains stay short even when full).
//
// Invariants
// - Keys are normalized: a number key with an integer value in 1...asize is only ever in the array
//   part; -0 is stored as +0; nil and NaN are never keys. So key equality in the hash part is bit
//   equality of the boxed key (strings are interned).
// - `array` and `node` are never NULL (tj_empty_array / tj_empty_node when absent); a hash part has
//   0 or >= 2 nodes (a power of two), so `hmask == 0` means "no hash part".
// - A key whose value is set to nil stays in its node (value nil) until the next rehash, so next()
//   can continue from it; the GC turns such keys into dead keys (same payload, itype DEADKEY) so
//   they need not be marked. Nodes with nil values are reused only as main positions.
// - Sizing mirrors LuaJIT 2.1 (rehash counts integer keys in power-of-two bins, key 0 included,
//   and picks the largest array size more than half full; hash parts hold max(2, 2^ceil(log2 n))
//   nodes), so `#` finds the same border LuaJIT finds for the same sequence of stores.
//
// Negative metamethod cache: `nomm` bit e set means "this table has no field named by event e".
// Heap.metamethod sets bits on misses; every store through the string-key or generic path clears
// the whole byte (LuaJIT's scheme: a store into any table may make it a metatable with new fields).
// Integer-key stores need not clear it (metamethod names are strings). Writing through a pointer
// from `slot(_:)` is only allowed over a non-nil value (that keeps every cached bit true).
import Glibc

extension UnsafeMutablePointer where Pointee == tj_table {
    @inline(__always) public var value: Value { Value(self) }
    @inline(__always) public var arrayValues: UnsafeMutablePointer<Value> {
        UnsafeMutableRawPointer(pointee.array.unsafelyUnwrapped).assumingMemoryBound(to: Value.self)
    }
    @inline(__always) var nodes: UnsafeMutablePointer<tj_node> { pointee.node.unsafelyUnwrapped }
    @inline(__always) var hasHash: Bool { pointee.hmask != 0 }
    @inline(__always) public var metatable: TableRef? {
        get { pointee.metatable }
        nonmutating set { pointee.metatable = newValue }
    }

    // MARK: key hashing

    /// Hash of a non-string key's bits: LuaJIT 2.1's number hash (rotate-and-mix of the two 32-bit
    /// halves, sign bit dropped), so integer keys collide where LuaJIT's do and rehashes (hence
    /// `#` borders) happen at the same stores.
    @inline(__always) static func hashBits(_ b: UInt64) -> UInt32 {
        var lo = UInt32(truncatingIfNeeded: b)
        var hi = UInt32(truncatingIfNeeded: b >> 32) << 1
        lo ^= hi; hi = (hi << 14) | (hi >> 18)
        lo &-= hi; hi = (hi << 5) | (hi >> 27)
        hi ^= lo; hi &-= (lo << 13) | (lo >> 19)
        return hi
    }

    /// Hash of a normalized key.
    @inline(__always) static func hashKey(_ kb: UInt64) -> UInt32 {
        if kb >> 47 == IType.string {
            return UnsafeMutablePointer<tj_str>(bitPattern: UInt(kb & TJ_PAYLOAD_MASK)).unsafelyUnwrapped.pointee.hash
        }
        return hashBits(kb)
    }

    @inline(__always) func mainPosition(_ h: UInt32) -> UnsafeMutablePointer<tj_node> {
        nodes + Int(h & pointee.hmask)
    }

    /// The node holding normalized key `kb` (hash `h`), or nil.
    @inline(__always) func findNode(_ kb: UInt64, _ h: UInt32) -> UnsafeMutablePointer<tj_node>? {
        var n = mainPosition(h)
        while true {
            if n.pointee.key == kb { return n }
            guard let nx = n.pointee.next else { return nil }
            n = nx
        }
    }

    // MARK: get

    /// Raw get of any key (t[k] without metamethods).
    @inline(__always) public func get(_ k: Value) -> Value {
        if k.isString { return get(str: k.string) }
        if k.isNumber { return get(num: k.number) }
        return getOther(k)
    }

    /// Raw get of an integer key.
    @inline(__always) public func get(int i: Int) -> Value {
        if UInt(bitPattern: i &- 1) < UInt(pointee.asize) { return arrayValues[i &- 1] }
        return getHashNum(Double(i))
    }

    /// Raw get of a number key.
    @inline(__always) public func get(num d: Double) -> Value {
        if d >= 1 && d <= Double(pointee.asize) {
            let i = Int(tj_d2i(d))
            if Double(i) == d { return arrayValues[i &- 1] }
        }
        return getHashNum(d)
    }

    /// Raw get of an (interned) string key.
    @inline(__always) public func get(str s: StringRef) -> Value {
        var n = mainPosition(s.pointee.hash)
        let kb = Value(s).bits
        while true {
            if n.pointee.key == kb { return Value(bits: n.pointee.val) }
            guard let nx = n.pointee.next else { return .nil }
            n = nx
        }
    }

    @inline(never) func getHashNum(_ d: Double) -> Value {
        let kb = d == 0 ? 0 : d.bitPattern
        if let n = findNode(kb, Self.hashBits(kb)) { return Value(bits: n.pointee.val) }
        return .nil
    }

    @inline(never) func getOther(_ k: Value) -> Value {
        if k.isNil { return .nil }
        if let n = findNode(k.bits, Self.hashBits(k.bits)) { return Value(bits: n.pointee.val) }
        return .nil
    }

    /// The slot holding key `k` if the key is present (its value may be nil), else nil. The pointer
    /// is valid until the next store of a new key. Write through it only over a non-nil value.
    @inline(__always) public func slot(_ k: Value) -> UnsafeMutablePointer<Value>? {
        if k.isNumber {
            let d = k.number
            if d >= 1 && d <= Double(pointee.asize) {
                let i = Int(tj_d2i(d))
                if Double(i) == d { return arrayValues + (i &- 1) }
            }
            let kb = d == 0 ? 0 : d.bitPattern
            return findNode(kb, Self.hashBits(kb)).map { Self.valuePtr($0) }
        }
        return findNode(k.bits, Self.hashKey(k.bits)).map { Self.valuePtr($0) }
    }

    /// The slot of string key `s` if present (see slot(_:)).
    @inline(__always) public func slot(str s: StringRef) -> UnsafeMutablePointer<Value>? {
        var n = mainPosition(s.pointee.hash)
        let kb = Value(s).bits
        while true {
            if n.pointee.key == kb { return Self.valuePtr(n) }
            guard let nx = n.pointee.next else { return nil }
            n = nx
        }
    }

    @inline(__always) static func valuePtr(_ n: UnsafeMutablePointer<tj_node>) -> UnsafeMutablePointer<Value> {
        UnsafeMutableRawPointer(n).assumingMemoryBound(to: Value.self)
    }

    // MARK: set

    /// Raw set of any key (t[k] = v without metamethods). Throws tableIndexIsNil / tableIndexIsNaN
    /// for bad keys, outOfMemory when growing fails (the table is then unchanged).
    @inline(__always) public func set(_ k: Value, _ v: Value, _ heap: Heap) throws {
        if k.isNumber {
            let d = k.number
            if d >= 1 && d <= Double(pointee.asize) {
                let i = Int(tj_d2i(d))
                if Double(i) == d { arrayValues[i &- 1] = v; return }
            }
            return try setHashNum(d, v, heap)
        }
        if k.isString { return try setStrSlow(k.string, v, heap) }
        try setOther(k, v, heap)
    }

    @inline(never) func setStrSlow(_ s: StringRef, _ v: Value, _ heap: Heap) throws {
        try set(str: s, v, heap)
    }

    /// Raw set of an integer key.
    @inline(__always) public func set(int i: Int, _ v: Value, _ heap: Heap) throws {
        if UInt(bitPattern: i &- 1) < UInt(pointee.asize) { arrayValues[i &- 1] = v; return }
        try setHashNum(Double(i), v, heap)
    }

    /// Raw set of a number key.
    @inline(__always) public func set(num d: Double, _ v: Value, _ heap: Heap) throws {
        if d >= 1 && d <= Double(pointee.asize) {
            let i = Int(tj_d2i(d))
            if Double(i) == d { arrayValues[i &- 1] = v; return }
        }
        try setHashNum(d, v, heap)
    }

    /// Raw set of an (interned) string key.
    @inline(__always) public func set(str s: StringRef, _ v: Value, _ heap: Heap) throws {
        pointee.nomm = 0
        var n = mainPosition(s.pointee.hash)
        let kb = Value(s).bits
        while true {
            if n.pointee.key == kb { n.pointee.val = v.bits; return }
            guard let nx = n.pointee.next else { break }
            n = nx
        }
        try newKey(kb, s.pointee.hash, v, heap)
    }

    @inline(never) func setHashNum(_ d: Double, _ v: Value, _ heap: Heap) throws {
        if d.isNaN { throw HeapError.tableIndexIsNaN }
        let kb = d == 0 ? 0 : d.bitPattern
        let h = Self.hashBits(kb)
        if let n = findNode(kb, h) { n.pointee.val = v.bits; return }
        try newKey(kb, h, v, heap)
    }

    @inline(never) func setOther(_ k: Value, _ v: Value, _ heap: Heap) throws {
        if k.isNil { throw HeapError.tableIndexIsNil }
        pointee.nomm = 0
        let h = Self.hashBits(k.bits)
        if let n = findNode(k.bits, h) { n.pointee.val = v.bits; return }
        try newKey(k.bits, h, v, heap)
    }

    /// Inserts a key known to be absent (normalized, not in the array range). As in LuaJIT, storing
    /// nil under an absent key inserts the key with a nil value (it may trigger a rehash, which then
    /// drops it): this keeps table shapes, and so `#` and `next` order, the same as LuaJIT's.
    @inline(never) func newKey(_ kb: UInt64, _ h: UInt32, _ v: Value, _ heap: Heap) throws {
        var mp = mainPosition(h)
        if mp.pointee.val != Value.nil.bits || !hasHash {
            guard let f = freePosition() else {
                try heap.rehash(self, extraKey: Value(bits: kb))
                // The key may now belong in the array part.
                let k = Value(bits: kb)
                if k.isNumber { return try set(num: k.number, v, heap) }
                return try set(k, v, heap)
            }
            let other = mainPosition(Self.hashKey(mp.pointee.key))
            if other != mp {
                // The colliding node is out of its main position: move it to the free node.
                var o = other
                while o.pointee.next != mp { o = o.pointee.next.unsafelyUnwrapped }
                o.pointee.next = f
                f.pointee = mp.pointee
                mp.pointee.next = nil
                mp.pointee.val = Value.nil.bits
            } else {
                // The colliding node is in its main position: the new key takes the free node.
                f.pointee.next = mp.pointee.next
                mp.pointee.next = f
                mp = f
            }
        }
        mp.pointee.key = kb
        mp.pointee.val = v.bits
    }

    /// A never-used node (key nil) below lastfree, or nil when the hash part is full.
    @inline(__always) func freePosition() -> UnsafeMutablePointer<tj_node>? {
        if !hasHash { return nil }
        var lf = pointee.lastfree.unsafelyUnwrapped
        let first = nodes
        while lf > first {
            lf -= 1
            if lf.pointee.key == Value.nil.bits {
                pointee.lastfree = lf
                return lf
            }
        }
        pointee.lastfree = lf
        return nil
    }

    // MARK: length

    /// `#t` (raw): a border, found as LuaJIT finds it.
    public func length() -> Int {
        let a = Int(pointee.asize)
        let arr = arrayValues
        if a >= 1 && arr[a - 1].isNil {
            var i = 0, j = a
            while j - i > 1 {
                let m = (i + j) / 2
                if arr[m - 1].isNil { j = m } else { i = m }
            }
            return i
        }
        if !hasHash { return a }
        return unboundSearch(a)
    }

    func unboundSearch(_ start: Int) -> Int {
        var i = start, j = start + 1
        while !get(int: j).isNil {
            i = j
            if j > Int(Int32.max) / 2 {
                var k = 1
                while !get(int: k).isNil { k += 1 }
                return k - 1
            }
            j *= 2
        }
        while j - i > 1 {
            let m = (i + j) / 2
            if get(int: m).isNil { j = m } else { i = m }
        }
        return i
    }

    // MARK: traversal

    /// Lua's next(t, k): the entry after key `k` (nil: the first), or nil at the end. Throws
    /// invalidKeyToNext when `k` is not a key of `t`. Stable under assignment to existing fields
    /// (including assigning nil) during traversal.
    public func next(_ k: Value) throws -> (key: Value, value: Value)? {
        var i = try iterationIndex(k)
        return nextEntry(from: &i)
    }

    /// next(t, k) given `hint`, a guess at iterationIndex(k) (a pairs loop passes the cursor the
    /// previous call returned, just after k): used when the slot before it holds k, else k is looked
    /// up. Leaves the new cursor in `hint`.
    @inline(__always) public func next(_ k: Value, hint: inout Int) throws -> (key: Value, value: Value)? {
        var i = hint
        if !cursorFollows(k, i) { i = try iterationIndex(k) }
        let r = nextEntry(from: &i)
        hint = i
        return r
    }

    /// Is `i` the cursor just after the live key `k` (what iterationIndex(k) would return)?
    @inline(__always) func cursorFollows(_ k: Value, _ i: Int) -> Bool {
        if k.isNil || i <= 0 { return false }
        let a = Int(pointee.asize)
        if i <= a { return k.isNumber && k.number == Double(i) }
        if !hasHash || i - a > Int(pointee.hmask) + 1 { return false }
        var kb = k.bits
        if k.isNumber && k.number == 0 { kb = 0 }
        return nodes[i - a - 1].key == kb
    }

    /// The cursor just after key `k` (0 for nil): array slots are 0..<asize, then nodes.
    public func iterationIndex(_ k: Value) throws -> Int {
        if k.isNil { return 0 }
        let a = Int(pointee.asize)
        if k.isNumber {
            let d = k.number
            if d >= 1 && d <= Double(a) {
                let i = Int(tj_d2i(d))
                if Double(i) == d { return i }
            }
        }
        if hasHash {
            var kb = k.bits
            if k.isNumber && k.number == 0 { kb = 0 }
            let dead = IType.deadKey << 47 | (kb & TJ_PAYLOAD_MASK)
            let ns = nodes
            // Search the chain first (live keys), then all nodes (dead keys keep only the payload).
            if let n = findNode(kb, Self.hashKey(kb)) { return a + (n - ns) + 1 }
            if k.isCollectable {
                for j in 0...Int(pointee.hmask) where ns[j].key == dead { return a + j + 1 }
            }
        }
        throw HeapError.invalidKeyToNext
    }

    /// The first entry with a non-nil value at or after cursor `i`; advances `i` past it.
    public func nextEntry(from i: inout Int) -> (key: Value, value: Value)? {
        let a = Int(pointee.asize)
        let arr = arrayValues
        while i < a {
            let v = arr[i]
            i += 1
            if !v.isNil { return (Value(i), v) }
        }
        if !hasHash { return nil }
        let ns = nodes
        let nn = Int(pointee.hmask) + 1
        while i - a < nn {
            let n = ns + (i - a)
            i += 1
            if n.pointee.val != Value.nil.bits { return (Value(bits: n.pointee.key), Value(bits: n.pointee.val)) }
        }
        return nil
    }

    /// Number of non-nil entries (for tests and statistics; O(size)).
    public func entryCount() -> Int {
        var c = 0
        var i = 0
        while nextEntry(from: &i) != nil { c += 1 }
        return c
    }

    /// Number of node slots in the hash part (0 when none).
    public var hashSize: Int { hasHash ? Int(pointee.hmask) + 1 : 0 }
    public var arraySize: Int { Int(pointee.asize) }
}

extension Heap {
    // MARK: table allocation and resizing

    /// A new table with room for `narray` array entries and `nhash` hash entries (TNEW's hints).
    public func newTable(narray: Int = 0, nhash: Int = 0) throws -> TableRef {
        if narray > Heap.maxArraySize || nhash > Heap.maxArraySize { throw HeapError.outOfMemory }
        // Small array parts (TNEW's hint is at most 255) live in the same block as the table.
        let colo = narray > 0 && narray <= Heap.maxColocated ? narray : 0
        let size = MemoryLayout<tj_table>.size + colo * 8
        let raw = try allocRaw(size)
        let t = raw.bindMemory(to: tj_table.self, capacity: 1)
        t.pointee.weak = 0
        t.pointee.colo = UInt8(colo)
        t.pointee.nomm = 0
        if colo > 0 {
            let a = (raw + MemoryLayout<tj_table>.size).assumingMemoryBound(to: UInt64.self)
            if colo <= 8 {
                var i = 0
                while i < colo { a[i] = Value.nil.bits; i &+= 1 }
            } else {
                memset(a, 0xFF, colo * 8)
            }
            t.pointee.array = a
        } else {
            t.pointee.array = tj_empty_array_ptr()
        }
        t.pointee.asize = UInt32(colo)
        t.pointee.hmask = 0
        t.pointee.node = tj_empty_node_ptr()
        t.pointee.lastfree = tj_empty_node_ptr()
        t.pointee.metatable = nil
        t.pointee.gclist = nil
        if narray > colo || nhash > 0 {
            do {
                try resize(t, asize: max(narray, 0), nodes: Heap.nodeCount(forEntries: nhash))
            } catch {
                freeRaw(raw, size)
                throw error
            }
        }
        link(GCRef(OpaquePointer(t)), GCT.table)
        return t
    }

    static let maxColocated = 255

    /// Bytes of the table block itself (struct plus inline array slots).
    @inline(__always) static func tableBlockSize(_ t: TableRef) -> Int {
        MemoryLayout<tj_table>.size + Int(t.pointee.colo) * 8
    }

    /// Whether the array part is the inline one (never freed separately).
    @inline(__always) static func arrayIsInline(_ t: TableRef, _ a: UnsafeMutablePointer<Value>) -> Bool {
        t.pointee.colo != 0 && UnsafeMutableRawPointer(a) == UnsafeMutableRawPointer(t) + MemoryLayout<tj_table>.size
    }

    /// A new table value.
    public func newTableValue(narray: Int = 0, nhash: Int = 0) throws -> Value {
        Value(try newTable(narray: narray, nhash: nhash))
    }

    /// Grows the array part to at least `n` entries (SETLIST, table.insert); never shrinks.
    public func reserveArray(_ t: TableRef, _ n: Int) throws {
        if n > Int(t.pointee.asize) {
            if n > Heap.maxArraySize { throw HeapError.outOfMemory }
            try resize(t, asize: n, nodes: t.hashSize)
        }
    }

    /// Node count for n hash entries: 0, or max(2, next power of two).
    static func nodeCount(forEntries n: Int) -> Int {
        if n <= 0 { return 0 }
        if n <= 2 { return 2 }
        return 1 << (Int.bitWidth - (n - 1).leadingZeroBitCount)
    }

    static let maxArrayBits = 27
    /// Largest array part reserveArray/newTable create (2^28 slots, 2 GB).
    static let maxArraySize = 1 << 28

    /// Recomputes both parts' sizes for the current keys plus `extraKey`, then resizes.
    /// The non-negative integer a key would have as an array index (below 2^maxArrayBits), or -1.
    @inline(__always) static func arrayCandidate(_ k: Value) -> Int {
        guard k.isNumber else { return -1 }
        let d = k.number
        guard d >= 0 && d < Double(1 << Heap.maxArrayBits) else { return -1 }
        let i = Int(tj_d2i(d))
        return Double(i) == d ? i : -1
    }

    /// The rehash bin of array index i: 0 for 0, 1, 2; b for (2^b, 2^(b+1)].
    @inline(__always) static func arrayBin(_ i: Int) -> Int {
        i > 2 ? (Int.bitWidth - 1 - (i - 1).leadingZeroBitCount) : 0
    }

    func rehash(_ t: TableRef, extraKey: Value) throws {
        try withUnsafeTemporaryAllocation(of: Int.self, capacity: Heap.maxArrayBits + 1) { bins in
            for b in 0...Heap.maxArrayBits { bins[b] = 0 }
            var nint = 0
            var total = 1
            var hasZero = false
            // Array part: slots of keys 1...asize; bin 0 holds keys 0,1,2, bin b keys (2^b, 2^(b+1)].
            let a = Int(t.pointee.asize)
            let arr = t.arrayValues
            for i in 0..<a where !arr[i].isNil {
                bins[Heap.arrayBin(i + 1)] += 1
                nint += 1
                total += 1
            }
            // (No nested function updating these counters: its captured variables would be boxed
            // and every access checked for exclusivity at run time, a tenth of closures.lua.)
            if t.hasHash {
                let ns = t.nodes
                for j in 0...Int(t.pointee.hmask) where ns[j].val != Value.nil.bits {
                    let i = Heap.arrayCandidate(Value(bits: ns[j].key))
                    if i >= 0 {
                        if i == 0 { hasZero = true }
                        bins[Heap.arrayBin(i)] += 1
                        nint += 1
                    }
                    total += 1
                }
            }
            let i = Heap.arrayCandidate(extraKey)
            if i >= 0 {
                if i == 0 { hasZero = true }
                bins[Heap.arrayBin(i)] += 1
                nint += 1
            }
            // Best array size: the largest 2^(b+1) with more than half of its slots (0 included) used.
            var sum = 0, na = 0, size = 0
            var b = 0
            while b <= Heap.maxArrayBits && 2 * nint > (1 << b) && sum != nint {
                if bins[b] > 0 {
                    sum += bins[b]
                    if 2 * sum > (1 << b) { size = 2 << b; na = sum }
                }
                b += 1
            }
            var hashEntries = total - na
            if size > 0 && hasZero { hashEntries += 1 }  // key 0 stays in our hash part
            try resize(t, asize: size, nodes: Heap.nodeCount(forEntries: hashEntries))
        }
    }

    /// Resizes both parts: `asize` array entries, `nodes` hash nodes (0 or a power of two >= 2).
    /// Allocates before changing anything, so a failed allocation leaves the table intact.
    func resize(_ t: TableRef, asize na: Int, nodes nn: Int) throws {
        let oldA = Int(t.pointee.asize)
        let oldArr = t.arrayValues
        let oldNodes = t.nodes
        let oldN = t.hashSize
        var newArr = oldArr
        if na != oldA {
            newArr = na > 0
                ? try allocRaw(na * 8).assumingMemoryBound(to: Value.self)
                : UnsafeMutableRawPointer(tj_empty_array_ptr()).assumingMemoryBound(to: Value.self)
        }
        var newNodes: UnsafeMutablePointer<tj_node> = tj_empty_node_ptr()
        if nn > 0 {
            do {
                newNodes = try allocRaw(nn * MemoryLayout<tj_node>.stride).assumingMemoryBound(to: tj_node.self)
            } catch {
                if na != oldA && na > 0 { freeRaw(UnsafeMutableRawPointer(newArr), na * 8) }
                throw error
            }
            for j in 0..<nn { newNodes[j] = tj_node(val: Value.nil.bits, key: Value.nil.bits, next: nil) }
        }
        if na != oldA {
            let keep = min(na, oldA)
            if keep > 0 { newArr.update(from: oldArr, count: keep) }
            if na > keep { memset(newArr + keep, 0xFF, (na - keep) * 8) }
        }
        t.pointee.array = UnsafeMutableRawPointer(newArr).assumingMemoryBound(to: UInt64.self)
        t.pointee.asize = UInt32(na)
        t.pointee.node = newNodes
        t.pointee.hmask = nn > 0 ? UInt32(nn - 1) : 0
        t.pointee.lastfree = newNodes + nn
        // Re-insert the array tail that no longer fits, then the old nodes. Sizes were computed
        // to fit, so these inserts never rehash.
        if na < oldA {
            for i in na..<oldA where !oldArr[i].isNil { try t.set(int: i + 1, oldArr[i], self) }
        }
        if oldN > 0 {
            for j in 0..<oldN where oldNodes[j].val != Value.nil.bits {
                let k = Value(bits: oldNodes[j].key)
                try t.set(k, Value(bits: oldNodes[j].val), self)
            }
            freeRaw(UnsafeMutableRawPointer(oldNodes), oldN * MemoryLayout<tj_node>.stride)
        }
        if na != oldA && oldA > 0 && !Heap.arrayIsInline(t, oldArr) {
            freeRaw(UnsafeMutableRawPointer(oldArr), oldA * 8)
        }
    }

    func freeTableParts(_ t: TableRef) {
        if t.pointee.asize > 0 && !Heap.arrayIsInline(t, t.arrayValues) {
            freeRaw(UnsafeMutableRawPointer(t.arrayValues), Int(t.pointee.asize) * 8)
        }
        if t.hasHash { freeRaw(UnsafeMutableRawPointer(t.nodes), t.hashSize * MemoryLayout<tj_node>.stride) }
    }

    // MARK: metamethods

    /// The metamethod for event `e` in metatable `mt` (raw lookup), cached negatively in mt.nomm.
    @inline(__always) public func metamethod(_ mt: TableRef, _ e: MetaEvent) -> Value {
        if mt.pointee.nomm & (1 << UInt32(e.rawValue)) != 0 { return .nil }
        return metamethodSlow(mt, e)
    }

    @inline(never) func metamethodSlow(_ mt: TableRef, _ e: MetaEvent) -> Value {
        let v = mt.get(str: mmName(e))
        if v.isNil { mt.pointee.nomm |= 1 << UInt32(e.rawValue) }
        return v
    }

    /// The metamethod of a value's metatable, if any (tables and userdata carry their own; other
    /// types' metatables are the interpreter's business and passed as `typeMetatable`).
    @inline(__always) public func metamethod(of v: Value, _ e: MetaEvent, typeMetatable: TableRef? = nil) -> Value {
        let mt: TableRef?
        if v.isTable { mt = v.table.pointee.metatable }
        else if v.isUserdata { mt = v.userdata.pointee.metatable }
        else { mt = typeMetatable }
        guard let m = mt else { return .nil }
        return metamethod(m, e)
    }
}
