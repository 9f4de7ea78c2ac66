// Chunk names as Lua shows them in messages ("prog.lua:12: ..."): the rules of LuaJIT's
// lj_debug_shortname with LUA_IDSIZE = 60.
//
//   "@path"  -> the path; when it is 60 bytes or longer, "..." and its last 56 bytes
//   "=name"  -> the name, cut to 59 bytes
//   other    -> [string "text"]: the text up to its first control character, at most 48 bytes;
//               when cut, at most 45 bytes followed by "..."

private let idSize = 60

public func shortSourceName(_ chunkName: String) -> String {
    let bytes = Array(chunkName.utf8)
    guard let first = bytes.first else { return "[string \"\"]" }
    switch first {
    case UInt8(ascii: "="):
        return String(decoding: bytes[1..<min(bytes.count, idSize)], as: UTF8.self)
    case UInt8(ascii: "@"):
        let len = bytes.count - 1
        if len >= idSize {
            let tail = bytes[(bytes.count - (idSize - 4))...]
            return "..." + String(decoding: tail, as: UTF8.self)
        }
        return String(decoding: bytes[1...], as: UTF8.self)
    default:
        var len = 0
        while len < idSize - 12 && len < bytes.count && bytes[len] >= 0x20 { len += 1 }
        if len < bytes.count {  // cut at a control character or for length
            len = min(len, idSize - 15)
            return "[string \"" + String(decoding: bytes[0..<len], as: UTF8.self) + "...\"]"
        }
        return "[string \"" + String(decoding: bytes, as: UTF8.self) + "\"]"
    }
}
