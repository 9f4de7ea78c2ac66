// The interpreter's names for data-layer operations (tables, strings, allocation), in one place.
import CVM

extension LuaVM {
    @inline(__always) func tableGet(_ t: TableRef, _ k: Value) -> Value { t.get(k) }
    @inline(__always) func tableGetStr(_ t: TableRef, _ s: StringRef) -> Value { t.get(str: s) }
    @inline(__always) func tableLength(_ t: TableRef) -> Int { t.length() }
    @inline(__always) func tableSet(_ t: TableRef, _ k: Value, _ v: Value) throws { try t.set(k, v, heap) }
    @inline(__always) func rawSetStr(_ t: TableRef, _ s: StringRef, _ v: Value) throws { try t.set(str: s, v, heap) }
    @inline(__always) func metamethod(_ mt: TableRef, _ e: MetaEvent) -> Value { heap.metamethod(mt, e) }

    @inline(__always) func newTable(narray: Int, nhash: Int) throws -> TableRef {
        try heap.newTable(narray: narray, nhash: nhash)
    }

    /// SETLIST: raw stores of n values at integer keys start, start+1, ...
    func setList(_ t: TableRef, _ p: UnsafeMutablePointer<Value>, _ n: Int, start: Int) throws {
        if n <= 0 { return }
        if start < 1 {  // only from malformed bytecode: plain stores
            for i in 0..<n { try t.set(int: start + i, p[i], heap) }
            return
        }
        if start + n - 1 > Int(t.pointee.asize) { try heap.reserveArray(t, start + n - 1) }
        // Keys start ..< start + n are now all inside the array part (start >= 1).
        let arr = t.arrayValues + (start - 1)
        var i = 0
        while i < n { arr[i] = p[i]; i &+= 1 }
    }

    /// An interned string value for messages (allocation failure gives nil; "not enough memory"
    /// is preallocated so it can always be raised).
    func internString(_ s: String) -> Value {
        if s == "not enough memory" && !oomMessage.isNil { return oomMessage }
        return (try? heap.string(s)) ?? .nil
    }

    func closeUpvalues(_ L: ThreadRef, level: UnsafeMutablePointer<Value>) {
        heap.closeUpvalues(L, level: level)
    }
}
