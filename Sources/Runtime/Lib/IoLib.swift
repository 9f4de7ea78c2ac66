// The io library: io.write/read/lines/open/close/input/output/flush/type/popen/tmpfile, the
// standard files, and file methods (read, write, lines, seek, flush, close, setvbuf).
//
// A file is a full userdata whose payload is a FileBox (the C FILE* and its kind) with a shared
// metatable: __index is the method table, __gc closes the file, __tostring prints "file (0x...)" or
// "file (closed)". The io functions and methods share one upvalue, a state table holding the
// metatable and the default input and output files. io.stdout writes go through the VM's output
// buffer (the one print uses), so io.write and print interleave correctly. Failures return
// nil, message, errno as luaL_fileresult does.
import CVM
import Glibc

struct FileBox {
    var fp: UnsafeMutablePointer<FILE>?
    /// 0 regular, 1 the VM's stdout (buffered by the VM), 2 other standard file, 3 pipe.
    var kind: Int
    var closed: Bool
}

private enum IoSlot {
    static let metatable = 1.0
    static let input = 2.0
    static let output = 3.0
    static let linesIter = 4.0
}

extension LuaVM {
    @inline(__always) func fileBox(_ v: Value) -> UnsafeMutablePointer<FileBox> {
        v.userdata.payload.assumingMemoryBound(to: FileBox.self)
    }

    private func ioState(_ a: NativeArgs) -> TableRef { a.fn.upvalues[0].table }

    private func isFile(_ v: Value, _ st: TableRef) -> Bool {
        guard v.isUserdata, let mt = v.userdata.pointee.metatable else { return false }
        return Value(mt).bits == st.get(num: IoSlot.metatable).bits
    }

    /// The file argument i (must be an open file).
    private func checkFile(_ a: NativeArgs, _ i: Int) throws -> UnsafeMutablePointer<FileBox> {
        let st = ioState(a)
        guard isFile(a[i], st) else { throw libTypeError(a, i, "FILE*") }
        let b = fileBox(a[i])
        if b.pointee.closed { throw runtimeError("attempt to use a closed file", ci: nil) }
        return b
    }

    private func newFile(_ st: TableRef, _ fp: UnsafeMutablePointer<FILE>?, kind: Int) throws -> Value {
        let mt = st.get(num: IoSlot.metatable).table
        let u = try heap.newUserdata(size: MemoryLayout<FileBox>.size, metatable: mt)
        u.payload.bindMemory(to: FileBox.self, capacity: 1).initialize(to: FileBox(fp: fp, kind: kind, closed: false))
        return Value(u)
    }

    private func errnoResult(_ a: NativeArgs, _ name: String?) throws -> Int {
        try fileResult(a, ok: false, name)
    }

    private func closeFile(_ b: UnsafeMutablePointer<FileBox>) -> Bool {
        guard let fp = b.pointee.fp else { b.pointee.closed = true; return true }
        let r: Int32 = b.pointee.kind == 3 ? pclose(fp) : fclose(fp)
        b.pointee.fp = nil
        b.pointee.closed = true
        return r != -1
    }

    // MARK: registration

    func registerIoLibrary() {
        do {
            let st = try heap.newTable(narray: 4, nhash: 0)
            let stV = Value(st)
            let mt = try heap.newTable(narray: 0, nhash: 4)
            try st.set(num: IoSlot.metatable, Value(mt), heap)
            try st.set(num: IoSlot.linesIter, try makeBuiltin("lines_iter") { vm, a in try LuaVM.linesStep(vm, a) }, heap)
            let methods = try heap.newTable(narray: 0, nhash: 8)
            func fn(_ name: String, _ f: @escaping NativeFunction) throws -> Value {
                try makeBuiltin(name, upvalues: [stV], f)
            }
            let methodList: [(String, NativeFunction)] = [
                ("close", { vm, a in try vm.ioClose(a, file: try vm.checkFile(a, 0)) }),
                ("flush", { vm, a in
                    let b = try vm.checkFile(a, 0)
                    return try vm.flushFile(a, b)
                }),
                ("lines", { vm, a in
                    _ = try vm.checkFile(a, 0)
                    a.base[0] = try vm.linesIterator(a, file: a.base[0], close: false)
                    return 1
                }),
                ("read", { vm, a in try vm.readFile(a, try vm.checkFile(a, 0), first: 1) }),
                ("write", { vm, a in try vm.writeFile(a, try vm.checkFile(a, 0), file: a.base[0], first: 1) }),
                ("seek", { vm, a in
                    let b = try vm.checkFile(a, 0)
                    let opt = try vm.libOptString(a, 1)?.string ?? "cur"
                    let whence: Int32
                    switch opt {
                    case "set": whence = SEEK_SET
                    case "cur": whence = SEEK_CUR
                    case "end": whence = SEEK_END
                    default: throw vm.libArgError(2, "invalid option '\(opt)'")
                    }
                    let off = try vm.libOptNumber(a, 2, 0)
                    if b.pointee.kind == 1 { vm.flushOutput() }
                    guard let fp = b.pointee.fp else { return try vm.errnoResult(a, nil) }
                    if fseeko(fp, off_t(off), whence) != 0 { return try vm.errnoResult(a, nil) }
                    a.base[0] = Value(Double(ftello(fp)))
                    return 1
                }),
                ("setvbuf", { vm, a in
                    let b = try vm.checkFile(a, 0)
                    let opt = try vm.libString(a, 1).string
                    let mode: Int32
                    switch opt {
                    case "no": mode = _IONBF
                    case "full": mode = _IOFBF
                    case "line": mode = _IOLBF
                    default: throw vm.libArgError(2, "invalid option '\(opt)'")
                    }
                    let size = try vm.libOptInt(a, 2, Int(BUFSIZ))
                    if b.pointee.kind == 1 { a.base[0] = .true; return 1 }
                    guard let fp = b.pointee.fp else { return try vm.errnoResult(a, nil) }
                    return try vm.fileResult(a, ok: setvbuf(fp, nil, mode, size) == 0, nil)
                }),
            ]
            for (name, f) in methodList { try methods.set(str: try heap.intern(name), try fn(name, f), heap) }
            try mt.set(str: try heap.intern("__index"), Value(methods), heap)
            try mt.set(str: try heap.intern("__gc"), try fn("__gc") { vm, a in
                if vm.isFile(a[0], vm.ioState(a)) {
                    let b = vm.fileBox(a.base[0])
                    if !b.pointee.closed && b.pointee.kind == 0 { _ = vm.closeFile(b) }
                }
                return 0
            }, heap)
            try mt.set(str: try heap.intern("__tostring"), try fn("__tostring") { vm, a in
                guard vm.isFile(a[0], vm.ioState(a)) else { throw vm.libTypeError(a, 0, "FILE*") }
                let b = vm.fileBox(a.base[0])
                if b.pointee.closed { a.base[0] = try vm.heap.string("file (closed)"); return 1 }
                a.base[0] = try vm.heap.string("file (" + vm.hexAddress(a.base[0].payload) + ")")
                return 1
            }, heap)

            let io = tableGet(globals, internString("io"))
            let ioT: TableRef
            if io.isTable { ioT = io.table } else {
                ioT = try heap.newTable(narray: 0, nhash: 16)
                try tableSet(globals, internString("io"), Value(ioT))
            }
            let stdinV = try newFile(st, stdin, kind: 2)
            let stdoutV = try newFile(st, stdout, kind: 1)
            let stderrV = try newFile(st, stderr, kind: 2)
            try tableSet(ioT, internString("stdin"), stdinV)
            try tableSet(ioT, internString("stdout"), stdoutV)
            try tableSet(ioT, internString("stderr"), stderrV)
            try st.set(num: IoSlot.input, stdinV, heap)
            try st.set(num: IoSlot.output, stdoutV, heap)

            let ioList: [(String, NativeFunction)] = [
                ("write", { vm, a in
                    let out = vm.ioState(a).get(num: IoSlot.output)
                    let b = vm.fileBox(out)
                    if b.pointee.closed { throw vm.runtimeError("attempt to use a closed file", ci: nil) }
                    return try vm.writeFile(a, b, file: out, first: 0)
                }),
                ("read", { vm, a in
                    let inp = vm.ioState(a).get(num: IoSlot.input)
                    let b = vm.fileBox(inp)
                    if b.pointee.closed { throw vm.runtimeError("attempt to use a closed file", ci: nil) }
                    return try vm.readFile(a, b, first: 0)
                }),
                ("lines", { vm, a in
                    let st = vm.ioState(a)
                    if a[0].isNil {
                        a.base[0] = try vm.linesIterator(a, file: st.get(num: IoSlot.input), close: false)
                        return 1
                    }
                    let name = try vm.libString(a, 0)
                    guard let fp = fopen(name.bytes, "r") else {
                        throw vm.libArgError(1, "\(name.string): \(String(cString: strerror(errno)))")
                    }
                    let f = try vm.newFile(st, fp, kind: 0)
                    a.base[0] = try vm.linesIterator(a, file: f, close: true)
                    return 1
                }),
                ("open", { vm, a in
                    let name = try vm.libString(a, 0)
                    let mode = try vm.libOptString(a, 1)?.string ?? "r"
                    guard let m0 = mode.utf8.first, m0 == UInt8(ascii: "r") || m0 == UInt8(ascii: "w") || m0 == UInt8(ascii: "a") else {
                        throw vm.libArgError(2, "invalid mode '\(mode)'")
                    }
                    guard let fp = fopen(name.bytes, mode) else { return try vm.errnoResult(a, name.string) }
                    a.base[0] = try vm.newFile(vm.ioState(a), fp, kind: 0)
                    return 1
                }),
                ("close", { vm, a in
                    if a[0].isNil {
                        let out = vm.ioState(a).get(num: IoSlot.output)
                        return try vm.ioClose(a, file: vm.fileBox(out))
                    }
                    return try vm.ioClose(a, file: try vm.checkFile(a, 0))
                }),
                ("flush", { vm, a in
                    let out = vm.ioState(a).get(num: IoSlot.output)
                    return try vm.flushFile(a, vm.fileBox(out))
                }),
                ("type", { vm, a in
                    try vm.libCheckAny(a, 0)
                    let st = vm.ioState(a)
                    if !vm.isFile(a.base[0], st) { a.base[0] = .nil; return 1 }
                    a.base[0] = try vm.heap.string(vm.fileBox(a.base[0]).pointee.closed ? "closed file" : "file")
                    return 1
                }),
                ("input", { vm, a in try vm.ioDefault(a, slot: IoSlot.input, mode: "r") }),
                ("output", { vm, a in try vm.ioDefault(a, slot: IoSlot.output, mode: "w") }),
                ("popen", { vm, a in
                    let cmd = try vm.libString(a, 0)
                    let mode = try vm.libOptString(a, 1)?.string ?? "r"
                    vm.flushOutput()
                    guard let fp = popen(cmd.bytes, mode) else { return try vm.errnoResult(a, cmd.string) }
                    a.base[0] = try vm.newFile(vm.ioState(a), fp, kind: 3)
                    return 1
                }),
                ("tmpfile", { vm, a in
                    guard let fp = tmpfile() else { return try vm.errnoResult(a, nil) }
                    a.base[0] = try vm.newFile(vm.ioState(a), fp, kind: 0)
                    return 1
                }),
            ]
            for (name, f) in ioList { try tableSet(ioT, internString(name), try fn(name, f)) }
            pinned.append(stV)
            if heap.finalizer == nil {
                // __gc of userdata: files are closed in Swift; other userdata (newproxy) get their
                // __gc called (at a safe point, above the running frame; its errors are dropped).
                heap.finalizer = { [unowned self] u, mm in
                    let v = Value(u)
                    if self.isFile(v, st) {
                        let b = self.fileBox(v)
                        if !b.pointee.closed && b.pointee.kind == 0 { _ = self.closeFile(b) }
                    } else if mm.isFunction {
                        _ = try? self.libCall(mm, 1, v)
                    }
                }
            }
        } catch {}
    }

    // MARK: operations

    private func ioDefault(_ a: NativeArgs, slot: Double, mode: String) throws -> Int {
        let st = ioState(a)
        let v = a[0]
        if !v.isNil {
            if v.isString || v.isNumber {
                let name = try libString(a, 0)
                guard let fp = fopen(name.bytes, mode) else {
                    throw libArgError(1, "\(name.string): \(String(cString: strerror(errno)))")
                }
                try st.set(num: slot, try newFile(st, fp, kind: 0), heap)
            } else {
                _ = try checkFile(a, 0)
                try st.set(num: slot, v, heap)
            }
        }
        a.base[0] = st.get(num: slot)
        return 1
    }

    private func ioClose(_ a: NativeArgs, file b: UnsafeMutablePointer<FileBox>) throws -> Int {
        if b.pointee.kind == 1 || b.pointee.kind == 2 {
            a.base[0] = .nil
            a.base[1] = try heap.string("cannot close standard file")
            return 2
        }
        return try fileResult(a, ok: closeFile(b), nil)
    }

    private func flushFile(_ a: NativeArgs, _ b: UnsafeMutablePointer<FileBox>) throws -> Int {
        if b.pointee.kind == 1 { flushOutput(); fflush(stdout); a.base[0] = .true; return 1 }
        guard let fp = b.pointee.fp else { return try errnoResult(a, nil) }
        return try fileResult(a, ok: fflush(fp) == 0, nil)
    }

    private func writeFile(_ a: NativeArgs, _ b: UnsafeMutablePointer<FileBox>, file: Value, first: Int) throws -> Int {
        var ok = true
        var i = first
        while i < a.count {
            let v = a.base[i]
            var numBuf = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
            if v.isString {
                let bytes = v.string.bytePtr, n = v.string.count
                if b.pointee.kind == 1 {
                    write(UnsafeBufferPointer(start: bytes, count: n))
                } else if options.captureOutput && b.pointee.kind == 2 && b.pointee.fp == stderr {
                    capturedStderr.append(contentsOf: UnsafeBufferPointer(start: bytes, count: n))
                } else if ok, let fp = b.pointee.fp {
                    ok = fwrite(bytes, 1, n, fp) == n
                }
            } else if v.isNumber {
                withUnsafeMutableBytes(of: &numBuf) { raw in
                    let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    let n = NumberText.format(v.number, into: p)
                    let bytes = UnsafePointer(p)
                    if b.pointee.kind == 1 {
                        write(UnsafeBufferPointer(start: bytes, count: n))
                    } else if options.captureOutput && b.pointee.kind == 2 && b.pointee.fp == stderr {
                        capturedStderr.append(contentsOf: UnsafeBufferPointer(start: bytes, count: n))
                    } else if ok, let fp = b.pointee.fp {
                        ok = fwrite(bytes, 1, n, fp) == n
                    }
                }
            } else {
                throw libTypeError(a, i, "string")
            }
            i += 1
        }
        if !ok { return try errnoResult(a, nil) }
        a.base[0] = .true  // LuaJIT 2.1 returns true, not the file
        _ = file
        return 1
    }

    /// Reads per the formats at args[first...] (default "*l"); nil for the first failing one.
    private func readFile(_ a: NativeArgs, _ b: UnsafeMutablePointer<FileBox>, first: Int) throws -> Int {
        guard let fp = b.pointee.fp else { return try errnoResult(a, nil) }
        if b.pointee.kind != 0 { flushOutput() }  // a prompt written to stdout shows before stdin is read
        clearerr(fp)
        let nfmt = max(a.count - first, 0)
        if nfmt == 0 {
            a.base[0] = try readLine(fp, keepNewline: false)
            return 1
        }
        try ensureResults(a, a.count + nfmt)
        // Results go after the arguments first (formats must stay readable), then move down.
        let out = a.base + a.count
        var k = 0
        while k < nfmt {
            let f = a.base[first + k]
            var r: Value
            if f.isNumber {
                let n = luaNumToInt32(f.number)
                r = try readCount(fp, max(n, 0))
            } else if f.isString {
                let s = f.string
                var p = s.bytePtr
                var len = s.count
                if len > 0 && p[0] == 42 { p += 1; len -= 1 }  // '*'
                switch len > 0 ? p[0] : 0 {
                case 110: r = readNumber(fp)                    // n
                case 97: r = try readAll(fp)                    // a
                case 108: r = try readLine(fp, keepNewline: false)  // l
                case 76: r = try readLine(fp, keepNewline: true)    // L
                default: throw libArgError(first + k + 1, "invalid format")
                }
            } else {
                throw libArgError(first + k + 1, "invalid format")
            }
            out[k] = r
            k += 1
            if r.isNil { break }
        }
        if ferror(fp) != 0 { return try errnoResult(a, nil) }
        var i = 0
        while i < k { a.base[i] = out[i]; i += 1 }
        return k
    }

    private func readLine(_ fp: UnsafeMutablePointer<FILE>, keepNewline: Bool) throws -> Value {
        var buf = ByteBuffer(capacity: 128)
        defer { buf.free() }
        var sawAny = false
        while true {
            let c = getc(fp)
            if c == EOF { break }
            sawAny = true
            if c == 10 {
                if keepNewline { buf.append(10) }
                return try libStringValue(buf.p, buf.count)
            }
            buf.append(UInt8(c))
        }
        if !sawAny { return .nil }
        return try libStringValue(buf.p, buf.count)
    }

    private func readAll(_ fp: UnsafeMutablePointer<FILE>) throws -> Value {
        var buf = ByteBuffer(capacity: 4096)
        defer { buf.free() }
        while true {
            buf.reserve(4096)
            let n = fread(buf.p + buf.count, 1, 4096, fp)
            buf.count += n
            if n < 4096 { break }
        }
        return try libStringValue(buf.p, buf.count)
    }

    private func readCount(_ fp: UnsafeMutablePointer<FILE>, _ n: Int) throws -> Value {
        if n == 0 {
            let c = getc(fp)
            if c == EOF { return .nil }
            ungetc(c, fp)
            return try libEmptyString()
        }
        let buf = ByteBuffer(capacity: n)
        defer { buf.free() }
        let got = fread(buf.p, 1, n, fp)
        if got == 0 { return .nil }
        return try libStringValue(buf.p, got)
    }

    private func readNumber(_ fp: UnsafeMutablePointer<FILE>) -> Value {
        var d = 0.0
        let r = withUnsafeMutablePointer(to: &d) { p in
            withVaList([p]) { vfscanf(fp, "%lf", $0) }
        }
        return r == 1 ? Value(d) : .nil
    }

    /// An iterator over a file's lines (io.lines closes the file at the end).
    private func linesIterator(_ a: NativeArgs, file: Value, close: Bool) throws -> Value {
        let st = ioState(a)
        let id = Int(st.get(num: IoSlot.linesIter).nativeFunction.pointee.builtin)
        return try makeNativeClosure(builtin: id, upvalues: [Value(st), file, Value(close)])
    }

    fileprivate static func linesStep(_ vm: LuaVM, _ a: NativeArgs) throws -> Int {
        do {
            let f = a.fn.upvalues[1]
            let b = vm.fileBox(f)
            if b.pointee.closed { throw vm.runtimeError("file is already closed", ci: nil) }
            guard let fp = b.pointee.fp else { a.base[0] = .nil; return 1 }
            if b.pointee.kind == 1 { vm.flushOutput() }
            let line = try vm.readLine(fp, keepNewline: false)
            if line.isNil && a.fn.upvalues[2].isTruthy { _ = vm.closeFile(b) }
            a.base[0] = line
            return 1
        }
    }
}
