// Base functions LuaJIT 2.1 has beyond the core set in BaseLib.swift: newproxy and gcinfo, plus the
// parts of the debug library programs use for error reporting (traceback, getmetatable,
// setmetatable).
import CVM
import Glibc

extension LuaVM {
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
