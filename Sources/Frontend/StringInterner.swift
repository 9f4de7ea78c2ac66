// The front end's string table: every name and string literal of a chunk is interned once, so the
// parser compares names and the code generator deduplicates string constants by a small integer id
// instead of by bytes. The keywords are interned first, in token order, so "is this name a keyword"
// is `id < keywordCount`.
//
// Storage is one contiguous byte buffer plus per-id offset, length and hash; lookup is open
// addressing over a power-of-two table of ids. All of it lives in manually managed buffers: this is
// the lexer's hottest path and must not pay for ARC or exclusivity checks.

final class StringInterner {
    @exclusivity(unchecked) private var bytes: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var bytesCount = 0
    @exclusivity(unchecked) private var bytesCapacity = 4096
    @exclusivity(unchecked) private var entries: UnsafeMutablePointer<Entry>
    @exclusivity(unchecked) private var entryCapacity = 256
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var table: UnsafeMutablePointer<Int32>
    @exclusivity(unchecked) private var mask = 1023
    @exclusivity(unchecked) private var strings: [String?] = []
    @exclusivity(unchecked) private var byteArrays: [[UInt8]?] = []

    private struct Entry {
        var start: Int
        var length: Int
        var hash: UInt32
    }

    init() {
        bytes = .allocate(capacity: bytesCapacity)
        entries = .allocate(capacity: entryCapacity)
        table = .allocate(capacity: mask + 1)
        table.initialize(repeating: -1, count: mask + 1)
    }

    deinit {
        bytes.deallocate()
        entries.deallocate()
        table.deallocate()
    }

    @inline(__always) static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt32 {
        var h: UInt32 = 2_166_136_261 ^ UInt32(truncatingIfNeeded: n)
        var i = 0
        while i < n {
            h = (h ^ UInt32(p[i])) &* 16_777_619
            i &+= 1
        }
        return h
    }

    /// The id of the byte string `p[0..<n]`, adding it when new.
    func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        let h = StringInterner.hash(p, n)
        var slot = Int(h) & mask
        while true {
            let id = table[slot]
            if id < 0 { break }
            let e = entries[Int(id)]
            if e.hash == h && e.length == n && (n == 0 || memcmp(bytes + e.start, p, n) == 0) { return id }
            slot = (slot &+ 1) & mask
        }
        if bytesCount + n > bytesCapacity {
            var cap = bytesCapacity * 2
            while cap < bytesCount + n { cap *= 2 }
            let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
            nb.initialize(from: bytes, count: bytesCount)
            bytes.deallocate()
            bytes = nb
            bytesCapacity = cap
        }
        if count == entryCapacity {
            let ne = UnsafeMutablePointer<Entry>.allocate(capacity: entryCapacity * 2)
            ne.initialize(from: entries, count: count)
            entries.deallocate()
            entries = ne
            entryCapacity *= 2
        }
        if n > 0 { (bytes + bytesCount).initialize(from: p, count: n) }
        let id = Int32(count)
        entries[count] = Entry(start: bytesCount, length: n, hash: h)
        bytesCount += n
        count += 1
        table[slot] = id
        if count * 2 > mask { grow() }
        return id
    }

    func intern(_ b: [UInt8]) -> Int32 {
        b.withUnsafeBufferPointer { bp in
            guard let base = bp.baseAddress else {
                var z: UInt8 = 0
                return intern(&z, 0)
            }
            return intern(base, bp.count)
        }
    }

    func intern(_ s: String) -> Int32 { intern(Array(s.utf8)) }

    private func grow() {
        let size = (mask + 1) * 2
        table.deallocate()
        table = .allocate(capacity: size)
        table.initialize(repeating: -1, count: size)
        mask = size - 1
        for i in 0..<count {
            var slot = Int(entries[i].hash) & mask
            while table[slot] >= 0 { slot = (slot &+ 1) & mask }
            table[slot] = Int32(i)
        }
    }

    /// The id's bytes (cached: the same string constant recurs in many functions, and the arrays
    /// are immutable, so they can share one buffer).
    func bytes(_ id: Int32) -> [UInt8] {
        let i = Int(id)
        if i < byteArrays.count, let b = byteArrays[i] { return b }
        let e = entries[i]
        let b = Array(UnsafeBufferPointer(start: bytes + e.start, count: e.length))
        if byteArrays.count <= i {
            byteArrays.append(contentsOf: repeatElement(nil, count: max(i + 1, count) - byteArrays.count))
        }
        byteArrays[i] = b
        return b
    }

    /// The id's bytes as a String (cached: debug names repeat).
    func string(_ id: Int32) -> String {
        let i = Int(id)
        if i < strings.count, let s = strings[i] { return s }
        let e = entries[i]
        let s = String(decoding: UnsafeBufferPointer(start: bytes + e.start, count: e.length), as: UTF8.self)
        if strings.count <= i { strings.append(contentsOf: repeatElement(nil, count: i + 1 - strings.count)) }
        strings[i] = s
        return s
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
