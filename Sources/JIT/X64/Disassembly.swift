// X64Disassembly: machine code as text, through GNU objdump when it is installed (used by
// `--dump-traces=m` and by the assembler tests). tracejit has no disassembler of its own.

import Foundation

public enum X64Disassembly {
    /// Path of an `objdump` on PATH (or in /usr/bin), nil if none.
    public static let objdumpPath: String? = {
        var dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        dirs.append("/usr/bin")
        for d in dirs where !d.isEmpty {
            let p = d + "/objdump"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    /// One line per instruction, "address: hex bytes  intel text" (addresses in hex, as if the
    /// code were at `address`), or nil when objdump is missing or fails.
    public static func lines(code: [UInt8], address: UInt) -> [String]? {
        guard let objdump = objdumpPath else { return nil }
        if code.isEmpty { return [] }
        let dir = FileManager.default.temporaryDirectory
        let file = dir.appendingPathComponent("tracejit-dis-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).bin")
        do { try Data(code).write(to: file) } catch { return nil }
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: objdump)
        p.arguments = ["-D", "-b", "binary", "-mi386:x86-64", "-M", "intel", "-w", "-z",
                       "--adjust-vma=0x" + String(address, radix: 16), file.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let text = String(data: data, encoding: .utf8) else { return nil }
        return parse(text)
    }

    /// Keeps objdump's instruction lines ("  addr:\tbytes\tinstruction"), tidied to
    /// "addr: bytes  instruction" with the bytes column padded.
    static func parse(_ text: String) -> [String] {
        var result: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let cols = raw.split(separator: "\t", omittingEmptySubsequences: false)
            guard cols.count >= 2 else { continue }
            let addr = cols[0].trimmingCharacters(in: .whitespaces)
            guard addr.hasSuffix(":"), addr.dropLast().allSatisfy({ $0.isHexDigit }) else { continue }
            let hex = cols[1].trimmingCharacters(in: .whitespaces)
            let insn = cols.count > 2 ? cols[2...].joined(separator: " ")
                .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") : ""
            let padded = hex.count < 30 ? hex + String(repeating: " ", count: 30 - hex.count) : hex
            result.append("\(addr) \(padded) \(insn)".trimmingCharacters(in: .whitespaces))
        }
        return result
    }
}
