// PerfMap: Linux perf's JIT symbol map (`--perf-map`).
//
// perf names samples in anonymous executable memory from /tmp/perf-<pid>.map, a text file of lines
// `START SIZE name` (START and SIZE in hex, the name is the rest of the line), read when
// `perf report` runs. The writer appends one line per installed trace, named
// `tracejit:trace N file.lua:LINE` (N the trace number, the location its start). Nothing is
// removed at a flush (perf reads the file as it is at report time and has no way to retire a
// symbol); code installed after a flush gets new lines, so perf may name a reused address by
// either trace. The file is created (truncated) when the writer opens it.
import Foundation
import Glibc

public final class PerfMapWriter {
    public let path: String
    private let fd: Int32
    public private(set) var linesWritten = 0

    /// The conventional path for this process.
    public static var defaultPath: String { "/tmp/perf-\(getpid()).map" }

    /// Opens (creates or truncates) the map; nil when it cannot be written.
    public init?(path: String = PerfMapWriter.defaultPath) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0 { return nil }
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// The line for one trace (with its newline).
    public static func line(for c: InstalledTraceCode) -> String {
        String(c.address, radix: 16) + " " + String(c.size, radix: 16) + " tracejit:trace \(c.trace) \(c.location)\n"
    }

    /// Appends the trace's line (one write, so a reader never sees half a line).
    public func write(_ c: InstalledTraceCode) {
        let bytes = Array(PerfMapWriter.line(for: c).utf8)
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if n == bytes.count { linesWritten += 1 }
    }
}
