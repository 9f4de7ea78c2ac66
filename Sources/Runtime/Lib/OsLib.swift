// The os library: clock, time (with a date table), date (strftime formats, "!" for UTC, "*t"),
// difftime, getenv, remove, rename, tmpname, execute, setlocale. os.exit is the base library's.
// Failures return nil, "<name>: <strerror>", errno as Lua's luaL_fileresult does.
import CVM
import Glibc

extension LuaVM {
    /// nil, "prefix: strerror(errno)", errno (or `true` on success).
    func fileResult(_ a: NativeArgs, ok: Bool, _ name: String?) throws -> Int {
        if ok { a.base[0] = .true; return 1 }
        let e = errno
        let msg = String(cString: strerror(e))
        a.base[0] = .nil
        a.base[1] = try heap.string(name.map { "\($0): \(msg)" } ?? msg)
        a.base[2] = Value(Double(e))
        return 3
    }

    func registerOsLibrary() {
        registerLibrary("os", [
            ("clock", { _, a in
                a.base[0] = Value(Double(clock()) / Double(CLOCKS_PER_SEC))
                return 1
            }),
            ("time", { vm, a in try vm.osTime(a) }),
            ("date", { vm, a in try vm.osDate(a) }),
            ("difftime", { vm, a in
                let t2 = try vm.libNumber(a, 0)
                let t1 = try vm.libOptNumber(a, 1, 0)
                a.base[0] = Value(t2 - t1)
                return 1
            }),
            ("getenv", { vm, a in
                let name = try vm.libString(a, 0)
                if let v = getenv(name.bytes) {
                    a.base[0] = Value(try vm.heap.intern(UnsafeRawPointer(v), count: strlen(v)))
                } else {
                    a.base[0] = .nil
                }
                return 1
            }),
            ("remove", { vm, a in
                let name = try vm.libString(a, 0)
                return try vm.fileResult(a, ok: Glibc.remove(name.bytes) == 0, name.string)
            }),
            ("rename", { vm, a in
                let from = try vm.libString(a, 0)
                let to = try vm.libString(a, 1)
                return try vm.fileResult(a, ok: Glibc.rename(from.bytes, to.bytes) == 0, from.string)
            }),
            ("tmpname", { vm, a in
                var template = Array("/tmp/lua_XXXXXX".utf8CString)
                let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
                if fd == -1 { throw vm.runtimeError("unable to generate a unique filename", ci: nil) }
                close(fd)
                a.base[0] = try vm.heap.string(String(cString: template))
                return 1
            }),
            ("execute", { vm, a in
                guard let cmd = try vm.libOptString(a, 0) else { a.base[0] = Value(1.0); return 1 }
                vm.flushOutput()
                let st = system(cmd.bytes)
                a.base[0] = Value(Double(st))
                return 1
            }),
            ("setlocale", { vm, a in
                let loc = try vm.libOptString(a, 0)
                let cats = ["all", "collate", "ctype", "monetary", "numeric", "time"]
                let catVals = [LC_ALL, LC_COLLATE, LC_CTYPE, LC_MONETARY, LC_NUMERIC, LC_TIME]
                let catName = try vm.libOptString(a, 1)?.string ?? "all"
                guard let ci = cats.firstIndex(of: catName) else {
                    throw vm.libArgError(2, "invalid option '\(catName)'")
                }
                // Only the C locale is supported (number formatting depends on it).
                if let loc, loc.count > 0, loc.string != "C", loc.string != "POSIX" { a.base[0] = .nil; return 1 }
                _ = catVals[ci]
                a.base[0] = try vm.heap.string("C")
                return 1
            }),
        ])
    }

    private func osTime(_ a: NativeArgs) throws -> Int {
        if a[0].isNil {
            a.base[0] = Value(Double(time(nil)))
            return 1
        }
        let t = try libTable(a, 0)
        func field(_ k: String, _ def: Int?) throws -> Int32 {
            let v = tableGet(t, internString(k))
            if v.isNumber { return Int32(truncatingIfNeeded: luaNumToInt32(v.number)) }
            if v.isString, let d = NumberText.parse(v.string) { return Int32(truncatingIfNeeded: luaNumToInt32(d)) }
            guard let def else { throw runtimeError("field '\(k)' missing in date table", ci: nil) }
            return Int32(def)
        }
        var tm = Glibc.tm()
        tm.tm_sec = try field("sec", 0)
        tm.tm_min = try field("min", 0)
        tm.tm_hour = try field("hour", 12)
        tm.tm_mday = try field("day", nil)
        tm.tm_mon = try field("month", nil) - 1
        tm.tm_year = try field("year", nil) - 1900
        let dst = tableGet(t, internString("isdst"))
        tm.tm_isdst = dst.isNil ? -1 : (dst.isTruthy ? 1 : 0)
        let r = mktime(&tm)
        if r == -1 { a.base[0] = .nil; return 1 }
        a.base[0] = Value(Double(r))
        return 1
    }

    private func osDate(_ a: NativeArgs) throws -> Int {
        let fmtS = try libOptString(a, 0)
        var fmt: [UInt8] = fmtS.map { Array($0.buffer) } ?? Array("%c".utf8)
        var t = time_t(a[1].isNil ? Double(time(nil)) : try libNumber(a, 1))
        var utc = false
        if fmt.first == UInt8(ascii: "!") { utc = true; fmt.removeFirst() }
        var tm = Glibc.tm()
        let ok = utc ? gmtime_r(&t, &tm) != nil : localtime_r(&t, &tm) != nil
        if !ok { a.base[0] = .nil; return 1 }
        if fmt.count >= 2 && fmt[0] == UInt8(ascii: "*") && fmt[1] == UInt8(ascii: "t") {
            let r = try heap.newTable(narray: 0, nhash: 9)
            a.base[0] = Value(r)
            func set(_ k: String, _ v: Value) throws { try tableSet(r, internString(k), v) }
            try set("sec", Value(Double(tm.tm_sec)))
            try set("min", Value(Double(tm.tm_min)))
            try set("hour", Value(Double(tm.tm_hour)))
            try set("day", Value(Double(tm.tm_mday)))
            try set("month", Value(Double(tm.tm_mon + 1)))
            try set("year", Value(Double(tm.tm_year + 1900)))
            try set("wday", Value(Double(tm.tm_wday + 1)))
            try set("yday", Value(Double(tm.tm_yday + 1)))
            try set("isdst", Value(tm.tm_isdst > 0))
            heap.checkGC()
            return 1
        }
        // Each conversion through strftime on its own (so an empty expansion is not an error).
        var out = ByteBuffer(capacity: 64)
        defer { out.free() }
        var i = 0
        var buf = [CChar](repeating: 0, count: 256)
        while i < fmt.count {
            let c = fmt[i]
            if c != 37 || i + 1 >= fmt.count { out.append(c); i += 1; continue }
            var spec: [CChar] = [37, CChar(bitPattern: fmt[i + 1])]
            i += 2
            if (spec[1] == 69 || spec[1] == 79) && i < fmt.count {  // %E? / %O? modifiers
                spec.append(CChar(bitPattern: fmt[i])); i += 1
            }
            spec.append(0)
            let n = strftime(&buf, 256, spec, &tm)
            buf.withUnsafeBufferPointer { b in
                b.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: n) { out.append($0, n) }
            }
        }
        a.base[0] = try libStringValue(out.p, out.count)
        return 1
    }
}
