// Base functions LuaJIT 2.1 has beyond the core set in BaseLib.swift: newproxy and gcinfo, plus the
// parts of the debug library programs use for error reporting (traceback, getmetatable,
// setmetatable).
import CVM
import Glibc

extension LuaVM {
    func envValue(_ t: TableRef?) -> Value { t.map { Value($0) } ?? Value(globals) }

    /// The call record `level` levels up from the running native (1 = its caller).
    func frameAtLevel(_ level: Int) -> UnsafeMutablePointer<CallInfo>? {
        let co = coState(currentThread)
        let idx = co.pointee.ciCount - 1 - level
        if level < 1 || idx < 0 { return nil }
        return co.pointee.cis + idx
    }

    func registerBaseExtras() {
        registerLibrary(nil, [
            ("newproxy", { vm, a in
                let arg = a[0]
                var mt: TableRef? = nil
                if arg.isBoolean {
                    if arg.boolean { mt = try vm.heap.newTable(narray: 0, nhash: 0) }
                } else if arg.isUserdata, let m = arg.userdata.pointee.metatable {
                    mt = m
                } else if !arg.isNil {
                    throw vm.libArgError(1, "boolean or proxy expected")
                }
                a.base[0] = Value(try vm.heap.newUserdata(size: 0, metatable: mt))
                return 1
            }),
            ("getfenv", { vm, a in
                let f = a[0]
                if f.isLuaFunction { a.base[0] = vm.envValue(f.luaFunction.pointee.env); return 1 }
                if f.isNativeFunction { a.base[0] = vm.envValue(f.nativeFunction.pointee.env); return 1 }
                let level = f.isNil ? 1 : try vm.libInt(a, 0)
                if level < 0 { throw vm.libArgError(1, "level must be non-negative") }
                if level == 0 { a.base[0] = vm.envValue(vm.currentThread.pointee.env); return 1 }
                guard let ci = vm.frameAtLevel(level) else { throw vm.libArgError(1, "invalid level") }
                if let cl = ci.pointee.closure { a.base[0] = vm.envValue(cl.pointee.env) } else { a.base[0] = Value(vm.globals) }
                return 1
            }),
            ("setfenv", { vm, a in
                let f = a[0]
                let t = a[1]
                guard t.isTable else { throw vm.libTypeError(a, 1, "table") }
                if f.isLuaFunction {
                    f.luaFunction.pointee.env = t.table
                    a.base[0] = f
                    return 1
                }
                if f.isNativeFunction { throw vm.runtimeError("'setfenv' cannot change environment of given object", ci: nil) }
                let level = try vm.libInt(a, 0)
                if level < 0 { throw vm.libArgError(1, "level must be non-negative") }
                if level == 0 {
                    vm.currentThread.pointee.env = t.table
                    return 0
                }
                guard let ci = vm.frameAtLevel(level) else { throw vm.libArgError(1, "invalid level") }
                guard let cl = ci.pointee.closure else {
                    throw vm.runtimeError("'setfenv' cannot change environment of given object", ci: nil)
                }
                cl.pointee.env = t.table
                a.base[0] = ci.pointee.fn.pointee
                return 1
            }),
            ("gcinfo", { vm, a in
                a.base[0] = Value(Glibc.floor(vm.heap.countKB))
                return 1
            }),
        ])
        registerLibrary("debug", [
            ("traceback", { vm, a in
                var i = 0
                if a[0].isThread { i = 1 }
                let msg = a[i]
                if !msg.isNil && !msg.isString && !msg.isNumber {
                    a.base[0] = msg
                    return 1
                }
                let L = a[0].isThread ? a.base[0].thread : vm.currentThread
                var text = msg.isNil ? "" : (msg.isString ? msg.string.string : NumberText.format(msg.number)) + "\n"
                text += vm.traceback(L)
                a.base[0] = try vm.heap.string(text)
                return 1
            }),
            ("getmetatable", { vm, a in
                try vm.libCheckAny(a, 0)
                a.base[0] = vm.metatable(of: a.base[0]).map { Value($0) } ?? .nil
                return 1
            }),
            ("setmetatable", { vm, a in
                let v = a[0]
                let m = a[1]
                guard m.isNil || m.isTable else { throw vm.libArgError(2, "nil or table expected") }
                if v.isTable { v.table.pointee.metatable = m.isNil ? nil : m.table }
                else if v.isUserdata { v.userdata.pointee.metatable = m.isNil ? nil : m.table }
                else if v.isString { vm.stringMetatable = m.isNil ? nil : m.table }
                a.base[0] = .true
                return 1
            }),
        ])
    }
}
