// Loading code: load, loadstring, loadfile, dofile, and the package library's require with
// package.path, package.loaded and package.preload.
//
// Chunk names follow Lua: loadstring(s) names the chunk by its text ([string "..."] in messages),
// "=name" names it literally, loadfile uses "@path". Compile errors come back as nil, message.
//
// require(name): package.loaded[name] if set; else package.preload[name]; else the first readable
// file among package.path's templates (';'-separated, '?' replaced by the name with '.' turned into
// '/'), searched after the running script's own folder (from arg[0]), so a program finds the modules
// next to it wherever it is run from. The loader is called with the name; its result (or true) is
// stored in package.loaded[name]. A module that requires itself while loading gets "loop or
// previous error loading module".
import CVM
import Frontend
import Glibc

extension LuaVM {
    /// Compiles bytes into a function value, or returns the error message.
    func loadChunk(_ bytes: [UInt8], chunkName: String) -> (Value, String?) {
        do {
            let f = try load(bytes: bytes, chunkName: chunkName)
            return (f, nil)
        } catch let e as LuaError {
            return (.nil, e.message)
        } catch let e as HeapError {
            return (.nil, e.message)
        } catch {
            let msg = (error as? CustomStringConvertible)?.description ?? "\(error)"
            return (.nil, msg)
        }
    }

    func readWholeFile(_ path: String) -> [UInt8]? {
        guard let fp = fopen(path, "rb") else { return nil }
        defer { fclose(fp) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, fp)
            if n > 0 { out.append(contentsOf: buf[0..<n]) }
            if n < buf.count { break }
        }
        return out
    }

    /// loadfile's work: (function, nil) or (nil, message).
    func loadFile(_ path: String?) -> (Value, String?) {
        guard let path else {
            var bytes: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = fread(&buf, 1, buf.count, stdin)
                if n > 0 { bytes.append(contentsOf: buf[0..<n]) }
                if n < buf.count { break }
            }
            return loadChunk(bytes, chunkName: "=stdin")
        }
        guard let bytes = readWholeFile(path) else {
            return (.nil, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        return loadChunk(bytes, chunkName: "@" + path)
    }

    private func loadResult(_ a: NativeArgs, _ r: (Value, String?)) throws -> Int {
        try ensureResults(a, 2)  // results above the arguments must be rooted across checkGC
        if let msg = r.1 {
            a.base[0] = .nil
            a.base[1] = try heap.string(msg)
            return 2
        }
        a.base[0] = r.0
        heap.checkGC()
        return 1
    }

    func registerLoadLibrary() {
        registerLibrary(nil, [
            ("loadstring", { vm, a in
                let s = try vm.libString(a, 0)
                let name = try vm.libOptString(a, 1)?.string ?? s.string
                return try vm.loadResult(a, vm.loadChunk(s.array, chunkName: name))
            }),
            ("load", { vm, a in
                let src = a[0]
                let name: String
                var bytes: [UInt8] = []
                if src.isString || src.isNumber {
                    let s = try vm.libString(a, 0)
                    bytes = s.array
                    name = try vm.libOptString(a, 1)?.string ?? s.string
                } else if src.isFunction {
                    name = try vm.libOptString(a, 1)?.string ?? "=(load)"
                    var pieces = 0
                    while true {
                        var piece = try vm.libCall(src, 0, .nil)
                        if piece.isNil { break }
                        if piece.isNumber { piece = Value(try vm.heap.numberToString(piece.number)) }
                        guard piece.isString else {
                            a.base[0] = .nil
                            a.base[1] = try vm.heap.string("reader function must return a string")
                            return 2
                        }
                        if piece.string.count == 0 { break }
                        bytes.append(contentsOf: piece.string.buffer)
                        // A reader that never ends (LuaJIT: `return 1` forever) runs out of memory there;
                        // stop after a million pieces instead of exhausting the machine.
                        pieces += 1
                        if pieces > (1 << 20) {
                            a.base[0] = .nil
                            a.base[1] = try vm.heap.string("not enough memory")
                            return 2
                        }
                    }
                } else {
                    throw vm.libTypeError(a, 0, "function")
                }
                return try vm.loadResult(a, vm.loadChunk(bytes, chunkName: name))
            }),
            ("loadfile", { vm, a in
                let path = try vm.libOptString(a, 0)?.string
                return try vm.loadResult(a, vm.loadFile(path))
            }),
            ("dofile", { vm, a in
                let path = try vm.libOptString(a, 0)?.string
                let (f, err) = vm.loadFile(path)
                if let err { throw vm.runtimeError(err, ci: nil) }
                a.base[0] = f
                let results = try vm.call(f, [], wanted: -1)
                try vm.ensureResults(a, results.count)
                for (i, v) in results.enumerated() { a.base[i] = v }
                return results.count
            }),
        ])
        do {
            let package = try heap.newTable(narray: 0, nhash: 8)
            try tableSet(globals, internString("package"), Value(package))
            let loaded = try heap.newTable(narray: 0, nhash: 16)
            let preload = try heap.newTable(narray: 0, nhash: 4)
            try tableSet(package, internString("loaded"), Value(loaded))
            try tableSet(package, internString("preload"), Value(preload))
            var path = "./?.lua;/usr/local/share/lua/5.1/?.lua;/usr/local/share/lua/5.1/?/init.lua;"
                + "/usr/share/lua/5.1/?.lua;/usr/share/lua/5.1/?/init.lua"
            if let env = getenv("LUA_PATH") {
                let e = String(cString: env)
                path = luaReplace(e, ";;", ";" + path + ";")
            }
            try tableSet(package, internString("path"), try heap.string(path))
            try tableSet(package, internString("cpath"), try heap.string(""))
            try tableSet(package, internString("config"), try heap.string("/\n;\n?\n!\n-\n"))
            for name in ["_G", "string", "table", "math", "os", "io", "bit", "coroutine", "package"] {
                let v = tableGet(globals, internString(name))
                if !v.isNil { try tableSet(loaded, internString(name), v) }
            }
            let sentinel = Value(lightUserdata: 0x5E47)
            let requireFn = try makeBuiltin("require", upvalues: [Value(package), sentinel]) { vm, a in
                try vm.require(a)
            }
            try tableSet(globals, internString("require"), requireFn)
        } catch {}
    }

    private func require(_ a: NativeArgs) throws -> Int {
        let nameS = try libString(a, 0)
        let name = nameS.string
        let package = a.fn.upvalues[0].table
        let sentinel = a.fn.upvalues[1]
        let loadedV = tableGet(package, internString("loaded"))
        guard loadedV.isTable else { throw runtimeError("'package.loaded' must be a table", ci: nil) }
        let loaded = loadedV.table
        let existing = tableGet(loaded, Value(nameS))
        if existing.isTruthy {
            if existing.bits == sentinel.bits {
                throw runtimeError("loop or previous error loading module '\(name)'", ci: nil)
            }
            a.base[0] = existing
            return 1
        }
        var loader = Value.nil
        var message = ""
        var fileName: String? = nil
        let preload = tableGet(package, internString("preload"))
        if preload.isTable { loader = tableGet(preload.table, Value(nameS)) }
        if loader.isNil {
            message += "\n\tno field package.preload['\(name)']"
            let pathV = tableGet(package, internString("path"))
            guard pathV.isString else { throw runtimeError("'package.path' must be a string", ci: nil) }
            var templates = pathV.string.string.split(separator: ";", omittingEmptySubsequences: true).map(String.init)
            // The running script's folder first.
            let argT = tableGet(globals, internString("arg"))
            if argT.isTable {
                let script = argT.table.get(int: 0)
                if script.isString, let slash = script.string.string.lastIndex(of: "/") {
                    let dir = String(script.string.string[..<slash])
                    let own = [dir + "/?.lua", dir + "/?/init.lua"]
                    templates = own.filter { !templates.contains($0) } + templates
                }
            }
            let modPath = luaReplace(name, ".", "/")
            for t in templates {
                let file = luaReplace(t, "?", modPath)
                if let fp = fopen(file, "r") {
                    fclose(fp)
                    fileName = file
                    break
                }
                message += "\n\tno file '\(file)'"
            }
            guard let file = fileName else {
                throw runtimeError("module '\(name)' not found:\(message)", ci: nil)
            }
            let (f, err) = loadFile(file)
            if let err {
                throw runtimeError("error loading module '\(name)' from file '\(file)':\n\t\(err)", ci: nil)
            }
            loader = f
        }
        try tableSet(loaded, Value(nameS), sentinel)
        let r: Value
        do {
            r = try libCall(loader, 1, Value(nameS))
        } catch {
            // Lua 5.1 leaves the sentinel in place after a loader error.
            throw error
        }
        if !r.isNil { try tableSet(loaded, Value(nameS), r) }
        var result = tableGet(loaded, Value(nameS))
        if result.bits == sentinel.bits {
            result = .true
            try tableSet(loaded, Value(nameS), result)
        }
        a.base[0] = result
        return 1
    }
}

/// Replaces every occurrence of `what` in `s` (no Foundation in the runtime).
func luaReplace(_ s: String, _ what: String, _ with: String) -> String {
    let src = Array(s.utf8), w = Array(what.utf8), r = Array(with.utf8)
    var out: [UInt8] = []
    var i = 0
    while i < src.count {
        if !w.isEmpty && i + w.count <= src.count && Array(src[i..<(i + w.count)]) == w {
            out += r
            i += w.count
        } else {
            out.append(src[i])
            i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}
