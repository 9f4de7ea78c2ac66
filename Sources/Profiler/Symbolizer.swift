// Symbolizer.swift: names native addresses with libdwfl (elfutils) and demangles Swift names.
//
// libdwfl is neither async-signal-safe nor thread-safe and costs ~50-60 us per uncached address,
// so symbolization happens after sampling, on one thread, cached per address. Return addresses
// are looked up at ip-1 so a call at the end of a function (or before a noreturn) names the
// caller's line, not the next function. File:line needs .debug_aranges (C: -gdwarf-aranges,
// Swift: -Xllvm -generate-arange-section), which Package.swift sets.

import CLibdw
import CSampler
import Foundation

public final class Symbolizer: NativeSymbolizing {
    private var dwfl: OpaquePointer?
    private let callbacks: UnsafeMutablePointer<Dwfl_Callbacks>
    private var cache: [UInt64: NativeSymbol] = [:]
    public private(set) var lookups = 0  // uncached lookups, for tests and cost accounting

    /// Reports the modules of this process as they are mapped now.
    public init() {
        callbacks = .allocate(capacity: 1)
        callbacks.initialize(to: Dwfl_Callbacks(
            find_elf: dwfl_linux_proc_find_elf,
            find_debuginfo: dwfl_standard_find_debuginfo,
            section_address: nil,
            debuginfo_path: nil))
        if let d = dwfl_begin(callbacks) {
            dwfl_report_begin(d)
            if dwfl_linux_proc_report(d, getpid()) == 0, dwfl_report_end(d, nil, nil) == 0 {
                dwfl = d
            } else {
                dwfl_end(d)
            }
        }
    }

    deinit {
        if let d = dwfl { dwfl_end(d) }
        callbacks.deallocate()
    }

    public var isAvailable: Bool { dwfl != nil }

    public func symbolize(_ address: UInt64, isReturnAddress: Bool) -> NativeSymbol {
        let a = isReturnAddress && address > 0 ? address - 1 : address
        if let s = cache[a] { return s }
        let s = lookup(a)
        cache[a] = s
        return s
    }

    private func lookup(_ a: UInt64) -> NativeSymbol {
        lookups += 1
        guard let d = dwfl, let mod = dwfl_addrmodule(d, Dwarf_Addr(a)) else {
            return NativeSymbol(name: String(format: "0x%llx", a))
        }
        var moduleName = ""
        var base: Dwarf_Addr = 0
        if let mn = dwfl_module_info(mod, nil, &base, nil, nil, nil, nil, nil) {
            moduleName = (String(cString: mn) as NSString).lastPathComponent
        }
        var offset: GElf_Off = 0
        var sym = GElf_Sym()
        var name: String
        if let n = dwfl_module_addrinfo(mod, GElf_Addr(a), &offset, &sym, nil, nil, nil) {
            name = Symbolizer.demangle(String(cString: n))
        } else {
            name = "\(moduleName)+0x\(String(a &- UInt64(base), radix: 16))"
        }
        var file = ""
        var line: Int32 = 0
        if let l = dwfl_module_getsrc(mod, Dwarf_Addr(a)) {
            var col: Int32 = 0
            if let f = dwfl_lineinfo(l, nil, &line, &col, nil, nil) { file = String(cString: f) }
        }
        return NativeSymbol(name: name, file: file, line: Int(line), module: moduleName)
    }

    /// Swift symbols come back mangled; swift_demangle (libswiftCore) makes them readable.
    public static func demangle(_ name: String) -> String {
        if name.hasPrefix("_Z") {  // C++ (the Swift runtime is C++)
            return name.withCString { p -> String in
                guard let out = tj_cxx_demangle(p) else { return name }
                defer { free(out) }
                return String(cString: out)
            }
        }
        guard name.hasPrefix("$s") || name.hasPrefix("_T") || name.hasPrefix("$S") || name.hasPrefix("_$s")
        else { return name }
        return name.withCString { p -> String in
            guard let out = swift_demangle(p, strlen(p), nil, nil, 0) else { return name }
            defer { free(out) }
            // "Swift.Int" -> "Int": the standard library's module prefix only adds width
            return String(cString: out).replacingOccurrences(of: "Swift.", with: "")
        }
    }
}
