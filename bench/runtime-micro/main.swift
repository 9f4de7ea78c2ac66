// Micro-benchmarks of the runtime data layer: table get/set by integer and string key, interning,
// allocation and collection. Not a test: run `swift run -c release --scratch-path .build-runtime
// tj-runtime-bench` and read the ns/op figures (docs/runtime.md records the latest).
import Glibc
import Runtime

@inline(never) func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) * 1e9 + Double(ts.tv_nsec)
}

var sink: UInt64 = 0

func bench(_ name: String, ops: Int, _ body: () throws -> Void) rethrows {
    var best = Double.infinity
    for _ in 0..<5 {
        let t0 = now()
        try body()
        best = min(best, now() - t0)
    }
    let pad = String(repeating: " ", count: max(0, 44 - name.count))
    print("\(name)\(pad)\(String(format: "%7.2f", best / Double(ops))) ns/op")
}

extension String {
    init(format: String, _ d: Double) {
        var buf = [CChar](repeating: 0, count: 64)
        _ = withVaList([d]) { vsnprintf(&buf, 64, format, $0) }
        self = String(cString: buf)
    }
}

let heap = Heap()
let n = 10_000_000

// Array part.
let arr = try heap.newTable()
for i in 1...1024 { try arr.set(int: i, Value(i), heap) }
bench("get(int:) array part, 1024 slots", ops: n) {
    var s: UInt64 = 0
    for i in 0..<n { s &+= arr.get(int: (i & 1023) + 1).bits }
    sink &+= s
}
try bench("set(int:) array part, 1024 slots", ops: n) {
    for i in 0..<n { try arr.set(int: (i & 1023) + 1, Value(i), heap) }
}
bench("get(Value) number key, array part", ops: n) {
    var s: UInt64 = 0
    for i in 0..<n { s &+= arr.get(Value((i & 1023) + 1)).bits }
    sink &+= s
}
try bench("set(Value) number key, array part", ops: n) {
    for i in 0..<n { try arr.set(Value((i & 1023) + 1), Value(i), heap) }
}

// String keys.
var keys: [StringRef] = []
for i in 0..<16 { keys.append(try heap.intern("field\(i)")) }
let obj = try heap.newTable()
for (i, k) in keys.enumerated() { try obj.set(str: k, Value(i), heap) }
try keys.withUnsafeBufferPointer { kp in
    bench("get(str:) 16-field table", ops: n) {
        var s: UInt64 = 0
        for i in 0..<n { s &+= obj.get(str: kp[i & 15]).bits }
        sink &+= s
    }
    try bench("set(str:) existing key, 16-field table", ops: n) {
        for i in 0..<n { try obj.set(str: kp[i & 15], Value(i), heap) }
    }
    bench("get(Value) string key, 16-field table", ops: n) {
        var s: UInt64 = 0
        for i in 0..<n { s &+= obj.get(Value(kp[i & 15])).bits }
        sink &+= s
    }
}
var bigKeys: [StringRef] = []
for i in 0..<4096 { bigKeys.append(try heap.intern("k\(i)")) }
let big = try heap.newTable()
for (i, k) in bigKeys.enumerated() { try big.set(str: k, Value(i), heap) }
bigKeys.withUnsafeBufferPointer { kp in
    bench("get(str:) 4096-key table", ops: n) {
        var s: UInt64 = 0
        for i in 0..<n { s &+= big.get(str: kp[(i &* 7) & 4095]).bits }
        sink &+= s
    }
}

// Number keys in the hash part.
let fk = try heap.newTable()
for i in 0..<1024 { try fk.set(num: Double(i) + 0.5, Value(i), heap) }
bench("get(num:) float keys, hash part", ops: n) {
    var s: UInt64 = 0
    for i in 0..<n { s &+= fk.get(num: Double(i & 1023) + 0.5).bits }
    sink &+= s
}

// Growth: appending to an empty table (rehash included), 1M entries.
try bench("append t[#t+1] to 1M (with rehash)", ops: 1_000_000) {
    let t = try heap.newTable()
    for i in 1...1_000_000 { try t.set(int: i, Value(i), heap) }
    sink &+= UInt64(t.length())
}
try bench("insert 100k new string keys", ops: 100_000) {
    let t = try heap.newTable()
    for i in 0..<100_000 { try t.set(str: bigKeys[i & 4095], Value(i), heap) }
}

// Strings.
try bench("intern existing 6-byte string", ops: 1_000_000) {
    var b: [UInt8] = Array("field3".utf8)
    try b.withUnsafeMutableBufferPointer { p in
        for _ in 0..<1_000_000 { sink &+= UInt64(UInt(bitPattern: try heap.intern(UnsafeBufferPointer(p)))) }
    }
}
try bench("new table + checkGC (alloc/free churn)", ops: 1_000_000) {
    for _ in 0..<1_000_000 { _ = try heap.newTable(); heap.checkGC() }
}
// binary-trees-like: trees of {left, right} tables built and dropped; the collector runs at the
// safe point after each tree is linked to the root (a tree under construction is only referenced
// from Swift locals, so no collection may happen inside bottomUp).
func bottomUp(_ depth: Int) throws -> TableRef {
    let t = try heap.newTable(narray: 2)
    if depth > 0 {
        try t.set(int: 1, Value(try bottomUp(depth - 1)), heap)
        try t.set(int: 2, Value(try bottomUp(depth - 1)), heap)
    }
    return t
}
let treeRoot = try heap.newTable()
heap.rootMarker = { h in h.mark(treeRoot) }
try bench("binary-trees depth 10 (per node, incl. GC)", ops: 64 * 2047) {
    for _ in 0..<64 {
        try treeRoot.set(int: 1, Value(try bottomUp(10)), heap)
        heap.checkGC()
    }
}
heap.rootMarker = nil

// Collection of a large live heap.
let root = try heap.newTable()
heap.rootMarker = { h in h.mark(root) }
for i in 1...1_000_000 { try root.set(int: i, Value(try heap.newTable()), heap) }
let t0 = now()
heap.collect()
print("full collect, 1M live tables: \(String(format: "%.1f", (now() - t0) / 1e6)) ms")
print("sink \(sink & 1)")

// Out-of-line copies of the fast paths, for reading their machine code (objdump -d).
@inline(never) public func tjbenchGetValue(_ t: TableRef, _ k: Value) -> Value { t.get(k) }
@inline(never) public func tjbenchGetInt(_ t: TableRef, _ i: Int) -> Value { t.get(int: i) }
@inline(never) public func tjbenchGetStr(_ t: TableRef, _ s: StringRef) -> Value { t.get(str: s) }
@inline(never) public func tjbenchSetValue(_ t: TableRef, _ k: Value, _ v: Value, _ h: Heap) throws { try t.set(k, v, h) }
