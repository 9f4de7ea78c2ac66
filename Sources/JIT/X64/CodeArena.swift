// CodeArena: executable memory for compiled traces, with W^X.
//
// One region is reserved up front with mmap (PROT_NONE, MAP_NORESERVE: no memory is committed
// until written), so every piece of machine code lies within ±2 GB of every other and traces can
// jump to each other and to their exit stubs with rel32. Pieces are handed out bump-pointer style,
// each 16-byte aligned, until the code budget (`capacity`) is used up; `reset()` drops everything
// at once (a trace flush), there is no per-piece free.
//
// W^X: a page is never writable and executable at the same time. Writing a piece or patching a
// jump makes exactly the pages it touches PROT_READ|PROT_WRITE, copies, then switches them to
// PROT_READ|PROT_EXEC. Other code on those pages is not executable for that instant, so the arena
// must not be written while another thread may be running code in it (tracejit's VM is one
// thread; the profiler's signal handler only reads memory). x86 keeps instruction fetch coherent
// with stores, so no cache flush is needed.
//
// Typical use by the backend:
//     let asm = X64Assembler()
//     ... emit ...
//     let piece = try arena.install(asm)           // allocate, finish(baseAddress:), write
//     let f = unsafeBitCast(piece.pointer, to: (@convention(c) (Double) -> Double).self)
// and later, for an exit that now has a side trace:
//     try arena.patchRel32(at: piece.address + UInt64(exitFieldOffset), target: sideTrace.address)

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum CodeArenaError: Error, Equatable, CustomStringConvertible {
    case mmapFailed(errno: Int32)
    case mprotectFailed(errno: Int32)
    /// The code budget is used up: flush (`reset()`) or give up compiling.
    case full(requested: Int, available: Int)
    /// An address range that is not inside the allocated part of the arena.
    case outOfArena(address: UInt64, size: Int)
    /// A rel32 patch whose target is more than ±2 GB away.
    case targetOutOfRange(target: UInt64)

    public var description: String {
        switch self {
        case .mmapFailed(let e): return "code arena: mmap failed (errno \(e))"
        case .mprotectFailed(let e): return "code arena: mprotect failed (errno \(e))"
        case .full(let r, let a): return "code arena full: \(r) bytes requested, \(a) available"
        case .outOfArena(let a, let s): return "code arena: \(s) bytes at 0x\(String(a, radix: 16)) are outside the arena"
        case .targetOutOfRange(let t): return "code arena: 0x\(String(t, radix: 16)) is out of rel32 range"
        }
    }
}

/// A piece of installed machine code.
public struct CodePiece: Sendable, Equatable {
    public let address: UInt64
    public let size: Int
    /// The entry point, for `unsafeBitCast` to a `@convention(c)` function type.
    public var pointer: UnsafeRawPointer { UnsafeRawPointer(bitPattern: UInt(address))! }
    public func contains(_ a: UInt64) -> Bool { a >= address && a - address < UInt64(size) }
}

public final class CodeArena {
    /// Start of the reserved region.
    public let baseAddress: UInt64
    /// The code budget in bytes (the size of the reserved region, a multiple of the page size).
    public let capacity: Int
    /// Bytes handed out so far, alignment padding included.
    public private(set) var used: Int = 0
    public let pageSize: Int

    /// Alignment of every piece.
    public static let pieceAlignment = 16

    /// An address in the code of the image tracejit's modules are linked into (the executable):
    /// the default `near` of a new arena, so that rel32 calls from traces reach runtime helpers.
    public static let imageAddress: UInt64 = {
        let probe: @convention(c) () -> Void = {}
        return UInt64(UInt(bitPattern: unsafeBitCast(probe, to: UnsafeRawPointer.self)))
    }()

    /// Reserves `capacity` bytes (rounded up to whole pages; default 32 MB). Tries to place the
    /// region so that all of it is within rel32 reach of `near` (by default the executable's code,
    /// where the runtime's helpers are), falling back to anywhere (pass nil to skip trying).
    /// Before emitting `call(absolute:)` to a helper, check `canReachRel32(_:)`; if it fails, load
    /// the address into a register and call that.
    public init(capacity: Int = 32 << 20, near: UInt64? = CodeArena.imageAddress) throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        pageSize = page > 0 ? page : 4096
        let cap = max(pageSize, (capacity + pageSize - 1) / pageSize * pageSize)
        var region: UnsafeMutableRawPointer? = nil
        if let near = near {
            // Hints below and above `near`, nearest first; the kernel takes a free hint as is.
            let span = UInt64(cap)
            var hints: [UInt64] = []
            for step: UInt64 in [256 << 20, 512 << 20, 1 << 30, 1536 << 20] {
                if near > step + span { hints.append((near - step - span) & ~UInt64(0xFFFF)) }
                hints.append((near + step) & ~UInt64(0xFFFF))
            }
            for h in hints {
                guard let p = CodeArena.map(cap, hint: UnsafeMutableRawPointer(bitPattern: UInt(h))) else { continue }
                let lo = UInt64(UInt(bitPattern: p)), hi = lo + span
                let reach: UInt64 = 0x7FFF_0000
                if (near >= lo ? near - lo : lo - near) < reach && (near >= hi ? near - hi : hi - near) < reach {
                    region = p
                    break
                }
                munmap(p, cap)
            }
        }
        if region == nil { region = CodeArena.map(cap, hint: nil) }
        guard let r = region else { throw CodeArenaError.mmapFailed(errno: errno) }
        baseAddress = UInt64(UInt(bitPattern: r))
        self.capacity = cap
    }

    private static func map(_ size: Int, hint: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
        let p = mmap(hint, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        if p == nil || p == UnsafeMutableRawPointer(bitPattern: -1) { return nil }
        return p
    }

    deinit {
        munmap(UnsafeMutableRawPointer(bitPattern: UInt(baseAddress)), capacity)
    }

    /// Bytes still available (before alignment of the next piece).
    public var available: Int { capacity - used }

    /// Whether `address` lies in the arena's region.
    public func contains(_ address: UInt64) -> Bool {
        address >= baseAddress && address - baseAddress < UInt64(capacity)
    }

    /// Whether a rel32 jump or call anywhere in the arena can reach `target`.
    public func canReachRel32(_ target: UInt64) -> Bool {
        let lo = baseAddress, hi = baseAddress + UInt64(capacity)
        let d1 = target >= lo ? target - lo : lo - target
        let d2 = target >= hi ? target - hi : hi - target
        return d1 < 0x7FFF_0000 && d2 < 0x7FFF_0000
    }

    /// Hands out `size` bytes at a 16-byte aligned address, without touching page protections:
    /// pass the address to `X64Assembler.finish(baseAddress:)`, then `write` the code there.
    public func allocate(_ size: Int) throws -> UInt64 {
        let start = (used + CodeArena.pieceAlignment - 1) & ~(CodeArena.pieceAlignment - 1)
        guard size >= 0, start <= capacity, size <= capacity - start else {
            throw CodeArenaError.full(requested: size, available: max(0, capacity - start))
        }
        used = start + size
        return baseAddress + UInt64(start)
    }

    /// Copies `code` to `address` (inside allocated space), leaving the pages it touches
    /// read+execute.
    public func write(_ code: [UInt8], at address: UInt64) throws {
        try code.withUnsafeBytes { try write(UnsafeRawBufferPointer($0), at: address) }
    }

    func write(_ code: UnsafeRawBufferPointer, at address: UInt64) throws {
        guard !code.isEmpty else { return }
        guard address >= baseAddress, address - baseAddress <= UInt64(used),
              UInt64(code.count) <= UInt64(used) - (address - baseAddress) else {
            throw CodeArenaError.outOfArena(address: address, size: code.count)
        }
        let mask = UInt64(pageSize - 1)
        let first = address & ~mask
        let last = (address + UInt64(code.count) + mask) & ~mask
        let pages = UnsafeMutableRawPointer(bitPattern: UInt(first))!
        let length = Int(last - first)
        if mprotect(pages, length, PROT_READ | PROT_WRITE) != 0 {
            throw CodeArenaError.mprotectFailed(errno: errno)
        }
        UnsafeMutableRawPointer(bitPattern: UInt(address))!.copyMemory(from: code.baseAddress!, byteCount: code.count)
        if mprotect(pages, length, PROT_READ | PROT_EXEC) != 0 {
            throw CodeArenaError.mprotectFailed(errno: errno)
        }
    }

    /// Allocates, finishes and writes the assembler's code; returns where it lives.
    public func install(_ asm: X64Assembler) throws -> CodePiece {
        let saved = used
        let size = asm.finishedSize
        let address = try allocate(size)
        do {
            let code = try asm.finish(baseAddress: address)
            precondition(code.count == size, "finishedSize disagrees with finish")
            try write(code, at: address)
        } catch {
            used = saved
            throw error
        }
        return CodePiece(address: address, size: size)
    }

    /// Allocates and writes raw machine code.
    public func install(_ code: [UInt8]) throws -> CodePiece {
        let address = try allocate(code.count)
        try write(code, at: address)
        return CodePiece(address: address, size: code.count)
    }

    /// Overwrites bytes of already installed (executable) code, e.g. a rel32 field; only the pages
    /// touched are made writable, and for that instant not executable.
    public func patch(at address: UInt64, bytes: [UInt8]) throws {
        try write(bytes, at: address)
    }

    /// Points the rel32 field at `fieldAddress` (from `patchableJump`/`patchableJcc`, plus the
    /// piece's address) at `target`.
    public func patchRel32(at fieldAddress: UInt64, target: UInt64) throws {
        guard let rel = X64Assembler.rel32(fieldAddress: fieldAddress, target: target) else {
            throw CodeArenaError.targetOutOfRange(target: target)
        }
        try write(rel, at: fieldAddress)
    }

    /// Reads back `size` bytes of installed code (for dumps and tests).
    public func bytes(at address: UInt64, size: Int) -> [UInt8]? {
        guard size >= 0, address >= baseAddress, address - baseAddress <= UInt64(used),
              UInt64(size) <= UInt64(used) - (address - baseAddress) else { return nil }
        let p = UnsafeRawPointer(bitPattern: UInt(address))!
        return Array(UnsafeRawBufferPointer(start: p, count: size))
    }

    /// Drops all code (a trace flush): the region goes back to PROT_NONE and its memory to the
    /// kernel. Any pointer into old code is dangling afterwards.
    public func reset() {
        let p = UnsafeMutableRawPointer(bitPattern: UInt(baseAddress))!
        _ = mprotect(p, capacity, PROT_NONE)
        _ = madvise(p, capacity, Int32(MADV_DONTNEED))
        used = 0
    }
}
