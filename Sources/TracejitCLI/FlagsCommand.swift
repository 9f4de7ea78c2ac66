// `tracejit flags`: every JIT parameter (JITParams.entries) with its value, default and meaning,
// like HotSpot's -XX:+PrintFlagsFinal. With `--jit-param name=value` it shows the effective values
// a `tracejit run` with the same options would use (":=" marks a changed value).
//
//     tracejit flags [--jit-param name=value]...
import ArgumentParser
import JIT

struct FlagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flags",
        abstract: "Print every JIT parameter with its value, default and meaning.",
        discussion: """
            `tracejit run --jit-param name=value` sets any of these (repeatable). Given the same \
            --jit-param options, this shows the values a run would use; ':=' marks a changed value.
            """)

    @Option(name: .customLong("jit-param"), help: ArgumentHelp("Set a parameter (repeatable).", valueName: "name=value"))
    var jitParam: [String] = []

    func run() throws {
        let p: JITParams
        do { p = try CLI.jitParams(jitParam) } catch {
            CLI.reportError(error)   // "tracejit: unknown JIT parameter 'x' (see `tracejit flags`)"
            throw ExitCode(1)
        }
        print(CLI.flagsTable(p), terminator: "")
    }
}

extension CLI {
    /// The defaults with each "name=value" applied in order; throws JITParams.ParamError.
    public static func jitParams(_ assignments: [String]) throws -> JITParams {
        var p = JITParams()
        for a in assignments { try p.set(a) }
        return p
    }

    /// The table `tracejit flags` prints: one line per parameter, in JITParams.entries order.
    public static func flagsTable(_ p: JITParams) -> String {
        let d = JITParams()
        let rows = JITParams.entries.map { e -> [String] in
            let v = e.get(p), dv = e.get(d)
            return [e.name, v == dv ? "=" : ":=", v, dv, e.meaning]
        }
        let header = ["name", "", "value", "default", "meaning"]
        var width = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { width[i] = max(width[i], c.count) } }
        func line(_ r: [String]) -> String {
            var s = ""
            for (i, c) in r.enumerated() {
                if i == r.count - 1 { s += c } else { s += c + String(repeating: " ", count: width[i] - c.count + 2) }
            }
            while s.hasSuffix(" ") { s.removeLast() }
            return s + "\n"
        }
        return line(header) + rows.map(line).joined()
    }
}
