// Parses the .bc format (docs/bytecode.md, "The .bc file format") back into a prototype tree.
//
// The reader only checks that the bytes are well formed: every field is inside the file, every
// count is small enough that its items could fit in the bytes that remain (so a forged count never
// allocates more than the file's size), varints are minimal and fit their field, flags carry no
// unknown bits, strings are UTF-8 where Swift needs a String, nesting is at most
// `BytecodeFile.maxDepth`, and nothing trails the main prototype. Whether the code is safe to run
// is the Verifier's question; `BytecodeFile.load` does both.
//
// No input makes it trap: all arithmetic on file values is bounded first, and all errors are a
// `BytecodeError` naming the offset, the function (index path) and the field.

public enum BytecodeReader {
    /// Parses a whole file. Does not verify the code (see `BytecodeFile.load`).
    public static func read(_ bytes: [UInt8]) throws -> Proto {
        var r = ByteSource(bytes: bytes)
        try r.readHeader()
        let main = try r.readProto(path: "main", depth: 1)
        if r.pos != bytes.count {
            throw r.error("\(bytes.count - r.pos) unexpected bytes after the main function")
        }
        return main
    }
}

/// Smallest encoded sizes, used to bound counts by the bytes that remain.
private enum MinSize {
    static let instruction = 4
    static let constant = 2          // tag + empty string
    static let upvalue = 2           // flags + index
    static let proto = 9             // flags, params, frame, 2 lines, 4 counts
    static let local = 4             // empty name, register, start, length
    static let name = 1              // empty string
}

private struct ByteSource {
    let bytes: [UInt8]
    var pos = 0
    var stripped = false
    var chunkName = ""
    /// Function being read, for messages.
    var function = "header"

    init(bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - pos }

    func error(_ what: @autoclosure () -> String, at offset: Int? = nil) -> BytecodeError {
        let off = offset ?? pos
        let fn = function == "header" ? "in the header" : "in function \(function)"
        return BytecodeError(message: "malformed bytecode at offset \(off) \(fn): \(what())",
                             offset: off, function: function == "header" ? nil : function)
    }

    mutating func u8(_ what: @autoclosure () -> String) throws -> UInt8 {
        guard pos < bytes.count else { throw error("file ends inside \(what())") }
        let v = bytes[pos]
        pos += 1
        return v
    }

    mutating func fixed(_ n: Int, _ what: @autoclosure () -> String) throws -> UInt64 {
        guard remaining >= n else { throw error("file ends inside \(what())") }
        var v: UInt64 = 0
        for i in 0..<n { v |= UInt64(bytes[pos + i]) << (8 * UInt64(i)) }
        pos += n
        return v
    }

    /// Minimal unsigned LEB128 of at most 10 bytes whose value is <= `max`.
    mutating func uleb(_ what: @autoclosure () -> String, max: UInt64) throws -> UInt64 {
        let start = pos
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard pos < bytes.count else { throw error("file ends inside \(what())", at: start) }
            let b = bytes[pos]
            pos += 1
            let bits = UInt64(b & 0x7f)
            if shift == 63 && bits > 1 { throw error("\(what()) overflows 64 bits", at: start) }
            v |= bits << shift
            if b & 0x80 == 0 {
                if b == 0 && pos - start > 1 { throw error("\(what()) is not minimally encoded", at: start) }
                break
            }
            shift += 7
            if shift > 63 { throw error("\(what()) overflows 64 bits", at: start) }
        }
        guard v <= max else { throw error("\(what()) \(v) is larger than \(max)", at: start) }
        return v
    }

    /// A count of items, each at least `minSize` bytes, that must fit in the remaining bytes.
    mutating func count(_ what: String, minSize: Int, reserved: Int = 0) throws -> Int {
        let start = pos
        let n = Int(try uleb(what, max: UInt64(UInt32.max)))
        let room = max(0, remaining - reserved)
        if n > room / minSize {
            throw error("\(what) \(n) does not fit in the \(remaining) bytes that remain", at: start)
        }
        return n
    }

    mutating func rawString(_ what: @autoclosure () -> String) throws -> [UInt8] {
        let start = pos
        let n = Int(try uleb("length of \(what())", max: UInt64(UInt32.max)))
        guard n <= remaining else {
            throw error("\(what()) of \(n) bytes runs past the end of the file", at: start)
        }
        let s = Array(bytes[pos..<(pos + n)])
        pos += n
        return s
    }

    mutating func string(_ what: @autoclosure () -> String) throws -> String {
        let start = pos
        let raw = try rawString(what())
        guard let s = String(validating: raw, as: UTF8.self) else {
            throw error("\(what()) is not valid UTF-8", at: start)
        }
        return s
    }

    mutating func readHeader() throws {
        guard bytes.count >= BytecodeFile.magic.count,
              Array(bytes[0..<BytecodeFile.magic.count]) == BytecodeFile.magic
        else {
            throw BytecodeError(message: "not a tracejit bytecode file (bad magic)", offset: 0)
        }
        pos = BytecodeFile.magic.count
        let vstart = pos
        let version = UInt16(truncatingIfNeeded: try fixed(2, "the format version"))
        guard version == BytecodeFile.version else {
            throw BytecodeError(
                message: "unsupported bytecode format version \(version) (this tracejit reads version "
                    + "\(BytecodeFile.version)); recompile the source", offset: vstart)
        }
        let fstart = pos
        let flags = try u8("the header flags")
        guard flags & ~BytecodeFile.flagStripped == 0 else {
            throw error("unknown header flags 0x\(String(flags, radix: 16))", at: fstart)
        }
        stripped = flags & BytecodeFile.flagStripped != 0
        chunkName = try string("chunk name")
    }

    mutating func readProto(path: String, depth: Int) throws -> Proto {
        let outer = function
        function = path
        defer { function = outer }
        guard depth <= BytecodeFile.maxDepth else {
            throw error("functions nested more than \(BytecodeFile.maxDepth) deep")
        }
        let fstart = pos
        let flags = try u8("function flags")
        guard flags & ~BytecodeFile.protoFlagVararg == 0 else {
            throw error("unknown function flags 0x\(String(flags, radix: 16))", at: fstart)
        }
        let numParams = Int(try u8("parameter count"))
        let frameSize = Int(try u8("frame size"))
        let lineDefined = Int(try uleb("first line", max: UInt64(Int32.max)))
        let lastLineDefined = Int(try uleb("last line", max: UInt64(Int32.max)))
        let nCode = try count("instruction count", minSize: MinSize.instruction)
        let nConst = try count("constant count", minSize: MinSize.constant, reserved: nCode * MinSize.instruction)
        let nUpv = try count("upvalue count", minSize: MinSize.upvalue,
                             reserved: nCode * MinSize.instruction + nConst * MinSize.constant)
        let nProto = try count("function count", minSize: MinSize.proto,
                               reserved: nCode * MinSize.instruction + nConst * MinSize.constant
                                   + nUpv * MinSize.upvalue)

        var code: [Instruction] = []
        code.reserveCapacity(nCode)
        // The counts after nCode took bytes too: check again before the unchecked loads.
        guard remaining >= MinSize.instruction * nCode else { throw error("file ends inside the instructions") }
        bytes.withUnsafeBytes { buf in
            for i in 0..<nCode {
                code.append(Instruction(raw: UInt32(littleEndian: buf.loadUnaligned(fromByteOffset: pos + 4 * i, as: UInt32.self))))
            }
        }
        pos += 4 * nCode

        var constants: [Constant] = []
        constants.reserveCapacity(nConst)
        for i in 0..<nConst {
            let tstart = pos
            switch try u8("constant \(i)") {
            case BytecodeFile.constantNumber:
                constants.append(.number(Double(bitPattern: try fixed(8, "number constant \(i)"))))
            case BytecodeFile.constantString:
                constants.append(.string(try rawString("string constant \(i)")))
            case let tag:
                throw error("constant \(i) has unknown tag \(tag)", at: tstart)
            }
        }

        var upvalues: [UpvalueDesc] = []
        upvalues.reserveCapacity(nUpv)
        for i in 0..<nUpv {
            let ustart = pos
            let uflags = try u8("upvalue \(i)")
            guard uflags & ~BytecodeFile.upvalueFlagInParentFrame == 0 else {
                throw error("upvalue \(i) has unknown flags 0x\(String(uflags, radix: 16))", at: ustart)
            }
            let index = Int(try u8("upvalue \(i)"))
            upvalues.append(UpvalueDesc(inParentFrame: uflags & BytecodeFile.upvalueFlagInParentFrame != 0,
                                        index: index))
        }

        var debug: DebugInfo?
        if !stripped {
            var lines: [Int32] = []
            lines.reserveCapacity(nCode)
            var prev = Int64(lineDefined)
            for pc in 0..<nCode {
                let lstart = pos
                let z = try uleb("line of pc \(pc)", max: UInt64(UInt32.max) * 2 + 1)
                let delta = Int64(z >> 1) ^ -Int64(z & 1)
                let line = prev + delta
                guard line >= 0 && line <= Int64(Int32.max) else {
                    throw error("line of pc \(pc) is out of range (\(line))", at: lstart)
                }
                lines.append(Int32(line))
                prev = line
            }
            let nLocals = try count("local variable count", minSize: MinSize.local)
            var locals: [LocalVarInfo] = []
            locals.reserveCapacity(nLocals)
            for i in 0..<nLocals {
                let name = try string("name of local \(i)")
                let reg = Int(try u8("register of local \(i)"))
                let startPC = Int(try uleb("start pc of local \(i)", max: UInt64(UInt32.max)))
                let length = Int(try uleb("live range of local \(i)", max: UInt64(UInt32.max)))
                locals.append(LocalVarInfo(name: name, register: reg, startPC: startPC, endPC: startPC + length))
            }
            let nNames = try count("upvalue name count", minSize: MinSize.name)
            var names: [String] = []
            names.reserveCapacity(nNames)
            for i in 0..<nNames { names.append(try string("name of upvalue \(i)")) }
            debug = DebugInfo(lineInfo: lines, locals: locals, upvalueNames: names)
        }

        // Re-check against what is left now: the debug info above consumed bytes.
        if nProto > remaining / MinSize.proto {
            throw error("function count \(nProto) does not fit in the \(remaining) bytes that remain")
        }
        var protos: [Proto] = []
        protos.reserveCapacity(nProto)
        for i in 0..<nProto {
            protos.append(try readProto(path: "\(path)>\(i)", depth: depth + 1))
        }

        return Proto(source: chunkName, lineDefined: lineDefined, lastLineDefined: lastLineDefined,
                     numParams: numParams, isVararg: flags & BytecodeFile.protoFlagVararg != 0,
                     frameSize: frameSize, code: code, constants: constants, upvalues: upvalues,
                     protos: protos, debug: debug)
    }
}
