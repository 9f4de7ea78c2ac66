// Pprof.swift: pprof's profile.proto, gzip-compressed, written by a small protobuf encoder.
//
// Only the messages pprof needs are written: Profile { sample_type, sample, location, function,
// string_table, time_nanos, duration_nanos, period_type, period }, Sample { location_id (leaf
// first, packed), value (packed) }, Location { id, line }, Line { function_id, line },
// Function { id, name, system_name, filename, start_line }, ValueType { type, unit }. Values per
// sample: [samples (count), cpu (nanoseconds)]. One location per (function, line), so pprof's
// line-level views work. A decoder for the same subset reads it back (tests, later tools).

import CSampler
import Foundation

/// Minimal protobuf wire-format writer.
struct ProtoWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
    mutating func key(_ field: Int, _ wire: Int) { varint(UInt64(field << 3 | wire)) }
    mutating func uint(_ field: Int, _ v: UInt64) { if v != 0 { key(field, 0); varint(v) } }
    mutating func int(_ field: Int, _ v: Int64) { if v != 0 { key(field, 0); varint(UInt64(bitPattern: v)) } }
    mutating func bytesField(_ field: Int, _ b: [UInt8]) { key(field, 2); varint(UInt64(b.count)); bytes += b }
    mutating func message(_ field: Int, _ build: (inout ProtoWriter) -> Void) {
        var w = ProtoWriter()
        build(&w)
        bytesField(field, w.bytes)
    }
    mutating func packed(_ field: Int, _ vs: [UInt64]) {
        if vs.isEmpty { return }
        var w = ProtoWriter()
        for v in vs { w.varint(v) }
        bytesField(field, w.bytes)
    }
}

/// Minimal protobuf wire-format reader: fields in order, unknown wire types rejected.
struct ProtoReader {
    enum Value { case varint(UInt64), bytes(ArraySlice<UInt8>), fixed64(UInt64), fixed32(UInt32) }
    struct Malformed: Error {}

    let data: ArraySlice<UInt8>
    var pos: Int

    init(_ d: ArraySlice<UInt8>) {
        data = d
        pos = d.startIndex
    }

    mutating func readVarint() throws -> UInt64 {
        var v: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard pos < data.endIndex, shift < 64 else { throw Malformed() }
            let b = data[pos]
            pos += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }

    mutating func next() throws -> (field: Int, value: Value)? {
        if pos >= data.endIndex { return nil }
        let k = try readVarint()
        let field = Int(k >> 3)
        switch k & 7 {
        case 0: return (field, .varint(try readVarint()))
        case 1:
            guard pos + 8 <= data.endIndex else { throw Malformed() }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(data[pos + i]) << (8 * UInt64(i)) }
            pos += 8
            return (field, .fixed64(v))
        case 2:
            let n = Int(truncatingIfNeeded: try readVarint())
            guard n >= 0, n <= data.endIndex - pos else { throw Malformed() }
            defer { pos += n }
            return (field, .bytes(data[pos..<pos + n]))
        case 5:
            guard pos + 4 <= data.endIndex else { throw Malformed() }
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(data[pos + i]) << (8 * UInt32(i)) }
            pos += 4
            return (field, .fixed32(v))
        default: throw Malformed()
        }
    }

    /// A repeated scalar field, packed or not.
    static func scalars(_ v: Value) throws -> [UInt64] {
        switch v {
        case .varint(let x): return [x]
        case .bytes(let b):
            var r = ProtoReader(b)
            var out: [UInt64] = []
            while r.pos < b.endIndex { out.append(try r.readVarint()) }
            return out
        default: throw Malformed()
        }
    }
}

public enum Pprof {
    /// The uncompressed profile.proto bytes.
    public static func encode(_ p: Profile) -> [UInt8] {
        var strings: [String] = [""]
        var stringIndex: [String: Int] = ["": 0]
        func str(_ s: String) -> UInt64 {
            if let i = stringIndex[s] { return UInt64(i) }
            stringIndex[s] = strings.count
            strings.append(s)
            return UInt64(strings.count - 1)
        }
        var functions: [ProfileFrame: UInt64] = [:]
        var functionOrder: [ProfileFrame] = []
        var locations: [ProfileFrame: UInt64] = [:]
        var locationOrder: [ProfileFrame] = []
        var w = ProtoWriter()
        // sample_type = [samples/count, cpu/nanoseconds]
        let samplesT = str("samples"), countT = str("count"), cpuT = str("cpu"), nsT = str("nanoseconds")
        w.message(1) { $0.uint(1, samplesT); $0.uint(2, countT) }
        w.message(1) { $0.uint(1, cpuT); $0.uint(2, nsT) }
        for s in p.stacks where s.weight > 0 {
            var ids: [UInt64] = []
            for f in s.frames.reversed() {  // leaf first
                if let id = locations[f] { ids.append(id); continue }
                let fn = f.function
                if functions[fn] == nil {
                    functions[fn] = UInt64(functionOrder.count + 1)
                    functionOrder.append(fn)
                }
                let id = UInt64(locationOrder.count + 1)
                locations[f] = id
                locationOrder.append(f)
                ids.append(id)
            }
            let cpu = Int64(s.weight) * Int64(p.periodNanoseconds)
            w.message(2) { m in
                m.packed(1, ids)
                m.packed(2, [UInt64(s.weight), UInt64(bitPattern: cpu)])
            }
        }
        for f in locationOrder {
            w.message(4) { m in
                m.uint(1, locations[f]!)
                m.message(4) { l in
                    l.uint(1, functions[f.function]!)
                    l.int(2, Int64(f.line))
                }
            }
        }
        for fn in functionOrder {
            let name = str(fn.displayLabel), sys = str(fn.name), file = str(fn.file)
            w.message(5) { m in
                m.uint(1, functions[fn]!)
                m.uint(2, name)
                m.uint(3, sys)
                m.uint(4, file)
                m.int(5, Int64(fn.definedLine))
            }
        }
        for s in strings { w.bytesField(6, Array(s.utf8)) }
        w.int(9, Int64(p.startTime.timeIntervalSince1970 * 1e9))
        w.int(10, Int64(p.wallSeconds * 1e9))
        w.message(11) { $0.uint(1, cpuT); $0.uint(2, nsT) }
        w.int(12, Int64(p.periodNanoseconds))
        return w.bytes
    }

    /// profile.proto gzip-compressed, as pprof writes and reads it.
    public static func render(_ p: Profile) throws -> Data {
        try gzip(encode(p))
    }

    // MARK: decoding (the subset above)

    public struct Decoded {
        public var sampleTypes: [(type: String, unit: String)] = []
        public var samples: [(stack: [String], values: [Int64])] = []  // stack leaf-first: function names
        public var sampleLines: [[Int64]] = []                          // lines, parallel to stacks
        public var period: Int64 = 0
        public var periodType: (type: String, unit: String) = ("", "")
        public var durationNanos: Int64 = 0
    }

    public struct DecodeError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func decode(gzipped: Data) throws -> Decoded {
        try decode(Array(gunzip(gzipped)))
    }

    public static func decode(_ bytes: [UInt8]) throws -> Decoded {
        do {
            return try decodeUnchecked(bytes)
        } catch let e as DecodeError {
            throw e
        } catch {
            throw DecodeError(description: "malformed protobuf")
        }
    }

    private static func valueType(_ b: ArraySlice<UInt8>) throws -> (UInt64, UInt64) {
        var r = ProtoReader(b)
        var t: (UInt64, UInt64) = (0, 0)
        while let (f, v) = try r.next() {
            if case .varint(let x) = v { if f == 1 { t.0 = x } else if f == 2 { t.1 = x } }
        }
        return t
    }

    private static func decodeUnchecked(_ bytes: [UInt8]) throws -> Decoded {
        var strings: [String] = []
        var rawTypes: [(UInt64, UInt64)] = []
        var rawSamples: [([UInt64], [UInt64])] = []
        var locs: [UInt64: [(fn: UInt64, line: Int64)]] = [:]
        var fns: [UInt64: UInt64] = [:]  // id -> name string index
        var periodType: (UInt64, UInt64) = (0, 0)
        var out = Decoded()
        var r = ProtoReader(bytes[...])
        while let (field, value) = try r.next() {
            switch (field, value) {
            case (1, .bytes(let b)): rawTypes.append(try valueType(b))
            case (2, .bytes(let b)):
                var sr = ProtoReader(b)
                var ids: [UInt64] = [], vals: [UInt64] = []
                while let (f, v) = try sr.next() {
                    if f == 1 { ids += try ProtoReader.scalars(v) } else if f == 2 { vals += try ProtoReader.scalars(v) }
                }
                rawSamples.append((ids, vals))
            case (4, .bytes(let b)):
                var lr = ProtoReader(b)
                var id: UInt64 = 0
                var lines: [(fn: UInt64, line: Int64)] = []
                while let (f, v) = try lr.next() {
                    if f == 1, case .varint(let x) = v { id = x }
                    if f == 4, case .bytes(let lb) = v {
                        var ln = ProtoReader(lb)
                        var e: (fn: UInt64, line: Int64) = (0, 0)
                        while let (g, u) = try ln.next() {
                            if case .varint(let x) = u { if g == 1 { e.fn = x } else if g == 2 { e.line = Int64(bitPattern: x) } }
                        }
                        lines.append(e)
                    }
                }
                locs[id] = lines
            case (5, .bytes(let b)):
                var fr = ProtoReader(b)
                var id: UInt64 = 0, name: UInt64 = 0
                while let (f, v) = try fr.next() {
                    if case .varint(let x) = v { if f == 1 { id = x } else if f == 2 { name = x } }
                }
                fns[id] = name
            case (6, .bytes(let b)): strings.append(String(decoding: b, as: UTF8.self))
            case (10, .varint(let x)): out.durationNanos = Int64(bitPattern: x)
            case (11, .bytes(let b)): periodType = try valueType(b)
            case (12, .varint(let x)): out.period = Int64(bitPattern: x)
            default: break
            }
        }
        func s(_ i: UInt64) throws -> String {
            guard i < strings.count else { throw DecodeError(description: "string index \(i) out of range") }
            return strings[Int(i)]
        }
        guard strings.first == "" else { throw DecodeError(description: "string_table[0] must be empty") }
        out.sampleTypes = try rawTypes.map { (try s($0.0), try s($0.1)) }
        out.periodType = (try s(periodType.0), try s(periodType.1))
        for (ids, vals) in rawSamples {
            guard vals.count == rawTypes.count else { throw DecodeError(description: "sample has \(vals.count) values") }
            var names: [String] = [], lines: [Int64] = []
            for id in ids {
                guard let l = locs[id], !l.isEmpty else { throw DecodeError(description: "unknown location \(id)") }
                for e in l {
                    guard let n = fns[e.fn] else { throw DecodeError(description: "unknown function \(e.fn)") }
                    names.append(try s(n))
                    lines.append(e.line)
                }
            }
            out.samples.append((names, vals.map { Int64(bitPattern: $0) }))
            out.sampleLines.append(lines)
        }
        return out
    }
}

public struct GzipError: Error {}

public func gzip(_ bytes: [UInt8]) throws -> Data {
    var out: UnsafeMutablePointer<UInt8>?
    var n = 0
    let rc = bytes.withUnsafeBufferPointer { tj_gzip($0.baseAddress, $0.count, &out, &n) }
    guard rc == 0, let o = out else { throw GzipError() }
    defer { tj_free(o) }
    return Data(bytes: o, count: n)
}

public func gunzip(_ data: Data) throws -> Data {
    var out: UnsafeMutablePointer<UInt8>?
    var n = 0
    let rc = data.withUnsafeBytes { tj_gunzip($0.bindMemory(to: UInt8.self).baseAddress, $0.count, &out, &n) }
    guard rc == 0, let o = out else { throw GzipError() }
    defer { tj_free(o) }
    return Data(bytes: o, count: n)
}
