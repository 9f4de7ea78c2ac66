// The table library as LuaJIT 2.1 has it: insert, remove, concat, sort, maxn, getn, move, foreach,
// foreachi. Element access is raw (as lua_rawgeti/rawseti), `#` is the raw border.
//
// sort is Lua 5.1's quicksort (median of three, the smaller half recursed, the larger iterated), so
// the comparisons made — and therefore the results for comparators that are not strict orders, and
// which inputs raise "invalid order function for sorting" — are the ones Lua makes. The partition
// scans are bounds-checked, so an inconsistent comparator can neither crash nor loop forever.
import CVM
import Glibc

extension LuaVM {
    func registerTableLibrary() {
        registerLibrary("table", [
            ("insert", { vm, a in
                let t = try vm.libTable(a, 0)
                var i = t.length() + 1
                if a.count != 2 {
                    if a.count != 3 { throw vm.runtimeError("wrong number of arguments to 'insert'", ci: nil) }
                    let n = try vm.libInt(a, 1)
                    while i > n {
                        try t.set(int: i, t.get(int: i - 1), vm.heap)
                        i -= 1
                    }
                    i = n
                }
                try t.set(int: i, a.base[a.count - 1], vm.heap)
                return 0
            }),
            ("remove", { vm, a in
                // LuaJIT's remove is a Lua function: a missing table reads as nil.
                guard a[0].isTable else { throw vm.libArgError(1, "table expected, got \(a[0].typeName)") }
                let t = a.base[0].table
                let e = t.length()
                var pos = try vm.libOptInt(a, 1, e)
                if !(1 <= pos && pos <= e) { return 0 }
                let old = t.get(int: pos)
                while pos < e {
                    try t.set(int: pos, t.get(int: pos + 1), vm.heap)
                    pos += 1
                }
                try t.set(int: e, .nil, vm.heap)
                a.base[0] = old
                return 1
            }),
            ("concat", { vm, a in try vm.tableConcat(a) }),
            ("sort", { vm, a in try vm.tableSort(a) }),
            ("maxn", { vm, a in
                let t = try vm.libTable(a, 0)
                var m = 0.0
                var k = Value.nil
                while let (key, _) = try t.next(k) {
                    if key.isNumber && key.number > m { m = key.number }
                    k = key
                }
                a.base[0] = Value(m)
                return 1
            }),
            ("getn", { vm, a in
                let t = try vm.libTable(a, 0)
                a.base[0] = Value(Double(t.length()))
                return 1
            }),
            ("move", { vm, a in
                let src = try vm.libTable(a, 0)
                let f = try vm.libInt(a, 1)
                let e = try vm.libInt(a, 2)
                let tpos = try vm.libInt(a, 3)
                let dst = a[4].isNil ? src : try vm.libTable(a, 4)
                if e >= f {
                    if tpos > f || tpos > e || dst != src {
                        var i = 0
                        while i <= e - f { try dst.set(int: tpos + i, src.get(int: f + i), vm.heap); i += 1 }
                    } else {
                        var i = e - f
                        while i >= 0 { try dst.set(int: tpos + i, src.get(int: f + i), vm.heap); i -= 1 }
                    }
                }
                a.base[0] = Value(dst)
                return 1
            }),
            ("foreachi", { vm, a in
                let t = try vm.libTable(a, 0)
                let f = a[1]
                guard f.isFunction else { throw vm.libTypeError(a, 1, "function") }
                let n = t.length()
                var i = 1
                while i <= n {
                    let r = try vm.libCall(f, 2, Value(Double(i)), t.get(int: i))
                    if !r.isNil { a.base[0] = r; return 1 }
                    i += 1
                }
                return 0
            }),
            ("foreach", { vm, a in
                let t = try vm.libTable(a, 0)
                let f = a[1]
                guard f.isFunction else { throw vm.libTypeError(a, 1, "function") }
                var k = Value.nil
                while let (key, v) = try t.next(k) {
                    a.base[2] = key
                    let r = try vm.libCall(f, 2, key, v)
                    if !r.isNil { a.base[0] = r; return 1 }
                    k = key
                }
                return 0
            }),
        ])
    }

    private func tableConcat(_ a: NativeArgs) throws -> Int {
        let t = try libTable(a, 0)
        let sep = try libOptString(a, 1)
        let i = try libOptInt(a, 2, 1)
        let j = a[3].isNil ? t.length() : try libInt(a, 3)
        if i > j { a.base[0] = try libEmptyString(); return 1 }
        // Pass 1: check the values (the first bad one raises, as before) and bound the length
        // (a number takes at most TJ_NUMBUF bytes); pass 2 copies into the heap's scratch buffer
        // (safe: raw gets call no Lua code that could reuse it).
        let sl = sep?.count ?? 0
        var total = 0
        var k = i
        while true {
            let v = t.get(int: k)
            if v.isString {
                total += v.string.count
            } else if v.isNumber {
                total += Int(TJ_NUMBUF)
            } else {
                throw runtimeError("invalid value (\(v.typeName)) at index \(k) in table for 'concat'", ci: nil)
            }
            if k == j { break }
            total += sl
            k += 1
        }
        let buf = heap.scratch(total)
        var n = 0
        k = i
        while true {
            n += Heap.writeConcatPiece(t.get(int: k), to: buf + n)
            if k == j { break }
            if let sep { memcpy(buf + n, sep.bytes, sl); n += sl }
            k += 1
        }
        a.base[0] = try libStringValue(buf, n)
        return 1
    }

    // MARK: sort

    private func tableSort(_ a: NativeArgs) throws -> Int {
        let t = try libTable(a, 0)
        let n = t.length()
        let cmp = a[1]
        if !cmp.isNil && !cmp.isFunction { throw libTypeError(a, 1, "function") }
        // Scratch slots in this native's frame keep the pivot reachable during comparator calls.
        try ensureResults(a, 4)
        var s = SortState(vm: self, t: t, cmp: cmp, pivotSlot: a.base + 2)
        try s.auxsort(1, n)
        return 0
    }
}

private struct SortState {
    let vm: LuaVM
    let t: TableRef
    let cmp: Value
    let pivotSlot: UnsafeMutablePointer<Value>

    @inline(__always) func get(_ i: Int) -> Value { t.get(int: i) }
    @inline(__always) func set(_ i: Int, _ v: Value) throws { try t.set(int: i, v, vm.heap) }

    @inline(__always) func lt(_ x: Value, _ y: Value) throws -> Bool {
        if cmp.isNil {
            if x.isNumber && y.isNumber { return x.number < y.number }
            return try vm.lessThan(x, y)
        }
        return try vm.libCall(cmp, 2, x, y).isTruthy
    }

    func orderError() -> LuaError { vm.runtimeError("invalid order function for sorting", ci: nil) }

    mutating func auxsort(_ lo0: Int, _ up0: Int) throws {
        var lo = lo0, up = up0
        while lo < up {
            // Order a[lo], a[(lo+up)/2], a[up].
            var al = get(lo), au = get(up)
            if try lt(au, al) { try set(lo, au); try set(up, al) }
            if up - lo == 1 { break }
            var i = (lo + up) / 2
            var ai = get(i)
            al = get(lo)
            if try lt(ai, al) {
                try set(i, al); try set(lo, ai)
            } else {
                au = get(up)
                if try lt(au, ai) { try set(i, au); try set(up, ai) }
            }
            if up - lo == 2 { break }
            let p = get(i)
            pivotSlot.pointee = p
            // Pivot to a[up-1].
            try set(i, get(up - 1)); try set(up - 1, p)
            i = lo
            var j = up - 1
            while true {
                i += 1
                while try lt(get(i), p) {
                    if i >= up { throw orderError() }
                    i += 1
                }
                j -= 1
                while try lt(p, get(j)) {
                    if j <= lo { throw orderError() }
                    j -= 1
                }
                if j < i { break }
                ai = get(i)
                try set(i, get(j)); try set(j, ai)
            }
            // Pivot into its place.
            let x = get(up - 1)
            ai = get(i)
            try set(up - 1, ai); try set(i, x)
            let jj: Int
            if i - lo < up - i {
                jj = lo; let ii = i - 1; lo = i + 1
                try auxsort(jj, ii)
            } else {
                jj = i + 1; let ii = up; up = i - 1
                try auxsort(jj, ii)
            }
        }
    }
}
