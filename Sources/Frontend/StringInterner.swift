// The front end's string table: every name and string literal of a chunk is interned once, so the
// parser compares names and the code generator deduplicates string constants by a small integer id
// instead of by bytes. The keywords are interned first, in token order, so "is this name a keyword"
// is `id < keywordCount`.
//
// Storage is one contiguous byte array plus per-id offsets; lookup is open addressing over a
// power-of-two table of ids, keyed by a hash of the bytes.

final class StringInterner {
    private(set) var storage: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var hashes: [UInt32] = []
    private var table: [Int32]
    private var mask: Int

    init() {
        table = [Int32](repeating: -1, count: 1024)
        mask = 1023
        storage.reserveCapacity(4096)
    }

    var count: Int { starts.count }

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
            let i = Int(id)
            if hashes[i] == h && lengths[i] == n {
                let same = storage.withUnsafeBufferPointer { sb -> Bool in
                    n == 0 || memcmp(sb.baseAddress! + starts[i], p, n) == 0
                }
                if same { return id }
            }
            slot = (slot &+ 1) & mask
        }
        let id = Int32(starts.count)
        starts.append(storage.count)
        lengths.append(n)
        hashes.append(h)
        storage.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        table[slot] = id
        if starts.count * 2 > mask { grow() }
        return id
    }

    func intern(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBufferPointer { b in
            intern(b.baseAddress ?? UnsafePointer(bitPattern: 1)!, b.count)
        }
    }

    func intern(_ s: String) -> Int32 { intern(Array(s.utf8)) }

    private func grow() {
        let size = (mask + 1) * 2
        table = [Int32](repeating: -1, count: size)
        mask = size - 1
        for i in 0..<starts.count {
            var slot = Int(hashes[i]) & mask
            while table[slot] >= 0 { slot = (slot &+ 1) & mask }
            table[slot] = Int32(i)
        }
    }

    func bytes(_ id: Int32) -> [UInt8] {
        let i = Int(id)
        return Array(storage[starts[i]..<(starts[i] + lengths[i])])
    }

    func string(_ id: Int32) -> String { String(decoding: bytes(id), as: UTF8.self) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
