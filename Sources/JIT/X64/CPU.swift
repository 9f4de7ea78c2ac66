// X64CPU: what the processor supports, for instruction selection in the backend (e.g. `roundsd`
// needs SSE4.1; without it floor/ceil take a slower SSE2 sequence or a call).
//
// Detection runs `cpuid` itself, without C: a six-instruction stub assembled with X64Assembler is
// written to a private page (RW, then RX: W^X as everywhere) and called. If that fails for any
// reason, the `flags` line of /proc/cpuinfo answers instead; if both fail, only the x86-64
// baseline (SSE2) is assumed.

#if canImport(Glibc)
import Glibc
#endif

public struct X64CPU: Sendable {
    /// Registers returned by `cpuid` for one leaf.
    public struct CPUIDResult: Sendable, Equatable {
        public var eax: UInt32, ebx: UInt32, ecx: UInt32, edx: UInt32
    }

    public let hasSSE3: Bool
    public let hasSSSE3: Bool
    public let hasSSE41: Bool
    public let hasSSE42: Bool
    public let hasPOPCNT: Bool
    public let hasAVX: Bool
    public let hasBMI1: Bool
    public let hasBMI2: Bool
    public let hasLZCNT: Bool
    /// Where the answer came from: "cpuid", "/proc/cpuinfo" or "baseline".
    public let source: String

    /// The processor this process runs on (detected once).
    public static let current: X64CPU = X64CPU.detect()

    public static var hasSSE41: Bool { current.hasSSE41 }

    static func detect() -> X64CPU {
        if let l1 = cpuid(leaf: 1) {
            let l7 = cpuid(leaf: 0).map { $0.eax >= 7 } == true ? cpuid(leaf: 7) : nil
            let ext = cpuid(leaf: 0x8000_0000).map { $0.eax >= 0x8000_0001 } == true ? cpuid(leaf: 0x8000_0001) : nil
            return X64CPU(
                hasSSE3: l1.ecx & (1 << 0) != 0, hasSSSE3: l1.ecx & (1 << 9) != 0,
                hasSSE41: l1.ecx & (1 << 19) != 0, hasSSE42: l1.ecx & (1 << 20) != 0,
                hasPOPCNT: l1.ecx & (1 << 23) != 0, hasAVX: l1.ecx & (1 << 28) != 0,
                hasBMI1: (l7?.ebx ?? 0) & (1 << 3) != 0, hasBMI2: (l7?.ebx ?? 0) & (1 << 8) != 0,
                hasLZCNT: (ext?.ecx ?? 0) & (1 << 5) != 0, source: "cpuid")
        }
        if let flags = procCPUInfoFlags() { return X64CPU(flags: flags) }
        return X64CPU(flags: [])
    }

    /// Builds the feature set from /proc/cpuinfo-style flag names.
    init(flags: Set<String>) {
        hasSSE3 = flags.contains("pni"); hasSSSE3 = flags.contains("ssse3")
        hasSSE41 = flags.contains("sse4_1"); hasSSE42 = flags.contains("sse4_2")
        hasPOPCNT = flags.contains("popcnt"); hasAVX = flags.contains("avx")
        hasBMI1 = flags.contains("bmi1"); hasBMI2 = flags.contains("bmi2")
        hasLZCNT = flags.contains("abm")
        source = flags.isEmpty ? "baseline" : "/proc/cpuinfo"
    }

    init(hasSSE3: Bool, hasSSSE3: Bool, hasSSE41: Bool, hasSSE42: Bool, hasPOPCNT: Bool, hasAVX: Bool,
         hasBMI1: Bool, hasBMI2: Bool, hasLZCNT: Bool, source: String) {
        self.hasSSE3 = hasSSE3; self.hasSSSE3 = hasSSSE3; self.hasSSE41 = hasSSE41
        self.hasSSE42 = hasSSE42; self.hasPOPCNT = hasPOPCNT; self.hasAVX = hasAVX
        self.hasBMI1 = hasBMI1; self.hasBMI2 = hasBMI2; self.hasLZCNT = hasLZCNT; self.source = source
    }

    /// Runs `cpuid` with eax = `leaf`, ecx = `subleaf` through a tiny JIT-compiled stub;
    /// nil if executable memory could not be had.
    public static func cpuid(leaf: UInt32, subleaf: UInt32 = 0) -> CPUIDResult? {
        // void stub(uint32_t out[4] /* rdi */, uint32_t leaf /* esi */, uint32_t subleaf /* edx */)
        let a = X64Assembler()
        a.push(.rbx)                                    // rbx is callee-saved and cpuid writes it
        a.mov(.rax, .rsi, width: .d)
        a.mov(.rcx, .rdx, width: .d)
        a.cpuid()
        a.mov(Mem(.rdi, 0), .rax, width: .d)
        a.mov(Mem(.rdi, 4), .rbx, width: .d)
        a.mov(Mem(.rdi, 8), .rcx, width: .d)
        a.mov(Mem(.rdi, 12), .rdx, width: .d)
        a.pop(.rbx)
        a.ret()
        guard let code = try? a.finish() else { return nil }
        let page = 4096
        let p = mmap(nil, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let mem = p, mem != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        defer { munmap(mem, page) }
        code.withUnsafeBytes { mem.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        guard mprotect(mem, page, PROT_READ | PROT_EXEC) == 0 else { return nil }
        typealias Stub = @convention(c) (UnsafeMutablePointer<UInt32>, UInt32, UInt32) -> Void
        let stub = unsafeBitCast(mem, to: Stub.self)
        var out: [UInt32] = [0, 0, 0, 0]
        out.withUnsafeMutableBufferPointer { stub($0.baseAddress!, leaf, subleaf) }
        return CPUIDResult(eax: out[0], ebx: out[1], ecx: out[2], edx: out[3])
    }

    /// The `flags` of the first processor in /proc/cpuinfo, or nil if unreadable.
    static func procCPUInfoFlags() -> Set<String>? {
        guard let f = fopen("/proc/cpuinfo", "r") else { return nil }
        defer { fclose(f) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var cap = 0
        defer { free(line) }
        while getline(&line, &cap, f) > 0 {
            guard let l = line else { break }
            let s = String(cString: l)
            if s.hasPrefix("flags") {
                guard let colon = s.firstIndex(of: ":") else { return nil }
                return Set(s[s.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init))
            }
        }
        return nil
    }
}
