// Folded.swift: Brendan Gregg's folded stacks ("root;caller;leaf 42", one stack per line,
// integer counts), the input of flamegraph.pl, inferno and speedscope's importer.

import Foundation

public enum FoldedStacks {
    /// One line per distinct stack (root-first labels joined by ';'), sorted, weights summed.
    public static func render(_ p: Profile) -> String {
        var w: [String: Int] = [:]
        for s in p.stacks where !s.frames.isEmpty {
            w[s.frames.map { sanitize($0.label) }.joined(separator: ";"), default: 0] += s.weight
        }
        return w.keys.sorted().map { "\($0) \(w[$0]!)" }.joined(separator: "\n") + (w.isEmpty ? "" : "\n")
    }

    /// Labels must not contain the separators.
    static func sanitize(_ s: String) -> String {
        if !s.contains(where: { $0 == ";" || $0 == "\n" || $0 == "\r" }) { return s }
        return String(s.map { $0 == ";" ? ":" : ($0 == "\n" || $0 == "\r") ? " " : $0 })
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var line: Int
        public var text: String
        public var description: String { "folded stacks line \(line): expected 'frame;frame;... COUNT', got '\(text)'" }
    }

    /// Parses folded text into (labels root-first, count). Blank lines are skipped; counts must be
    /// non-negative integers (a trailing fractional count is rejected, as flamegraph.pl does).
    public static func parse(_ text: String) throws -> [(frames: [String], count: Int)] {
        var out: [(frames: [String], count: Int)] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            guard let sp = line.lastIndex(of: " "), let n = Int(line[line.index(after: sp)...]), n >= 0 else {
                throw ParseError(line: i + 1, text: String(line))
            }
            let stack = line[..<sp]
            out.append((stack.isEmpty ? [] : stack.split(separator: ";", omittingEmptySubsequences: false).map(String.init), n))
        }
        return out
    }

    /// The frame a label came from (kind recovered from the label's shape).
    public static func frame(fromLabel l: String) -> ProfileFrame {
        var s = l
        var kind = FrameKind.lua
        if s.hasSuffix("_[j]") {
            kind = .jit
            s.removeLast(4)
        } else if s == "[gc]" {
            return ProfileFrame(kind: .gc, name: s)
        } else if s.hasPrefix("[") && s.hasSuffix("]") {
            return ProfileFrame(kind: .vm, name: s)
        }
        if s.hasSuffix(")"), let open = s.range(of: " (", options: .backwards) {
            let inner = s[open.upperBound..<s.index(before: s.endIndex)]
            let name = String(s[..<open.lowerBound])
            if let colon = inner.lastIndex(of: ":"), let line = Int(inner[inner.index(after: colon)...]) {
                return ProfileFrame(kind: kind, name: name, file: String(inner[..<colon]), definedLine: line)
            }
            return ProfileFrame(kind: kind, name: name, file: String(inner))
        }
        return ProfileFrame(kind: kind == .jit ? .jit : .native, name: s)
    }

    /// A profile from folded text (weights = counts, one sample per line).
    public static func profile(fromFolded text: String) throws -> Profile {
        let rows = try parse(text)
        return Profile(stacks: rows.map { r in
            let frames = r.frames.map(frame(fromLabel:))
            let state: VMState = frames.last?.kind == .gc ? .gc : frames.last?.kind == .jit ? .jit : .interpreted
            return WeightedStack(frames: frames, weight: r.count, state: state)
        })
    }
}
