// Speedscope.swift: speedscope's file format (https://www.speedscope.app/file-format-schema.json),
// one "sampled" profile: shared frame table, samples as root-first frame-index lists, weights in
// milliseconds of CPU time.

import Foundation

public enum Speedscope {
    public struct Frame: Codable, Equatable {
        public var name: String
        public var file: String?
        public var line: Int?
    }

    public struct Shared: Codable, Equatable { public var frames: [Frame] }

    public struct SampledProfile: Codable, Equatable {
        public var type: String
        public var name: String
        public var unit: String
        public var startValue: Double
        public var endValue: Double
        public var samples: [[Int]]
        public var weights: [Double]
    }

    public struct File: Codable, Equatable {
        public var schema: String
        public var shared: Shared
        public var profiles: [SampledProfile]
        public var name: String
        public var activeProfileIndex: Int
        public var exporter: String

        enum CodingKeys: String, CodingKey {
            case schema = "$schema", shared, profiles, name, activeProfileIndex, exporter
        }
    }

    public static func file(_ p: Profile, name: String = "tracejit") -> File {
        var index: [ProfileFrame: Int] = [:]
        var frames: [Frame] = []
        var samples: [[Int]] = []
        var weights: [Double] = []
        let ms = Double(p.periodNanoseconds) / 1e6
        for s in p.stacks where s.weight > 0 {
            samples.append(s.frames.map { f in
                let fn = f.function
                if let i = index[fn] { return i }
                index[fn] = frames.count
                let file = fn.file.isEmpty ? nil : fn.file
                let line = fn.definedLine > 0 ? fn.definedLine : nil
                frames.append(Frame(name: fn.kind == .lua || fn.kind == .jit ? fn.displayLabel : fn.name, file: file, line: line))
                return frames.count - 1
            })
            weights.append(Double(s.weight) * ms)
        }
        let total = weights.reduce(0, +)
        return File(
            schema: "https://www.speedscope.app/file-format-schema.json",
            shared: Shared(frames: frames),
            profiles: [SampledProfile(type: "sampled", name: name, unit: "milliseconds", startValue: 0,
                                      endValue: total, samples: samples, weights: weights)],
            name: name, activeProfileIndex: 0, exporter: "tracejit")
    }

    public static func render(_ p: Profile, name: String = "tracejit") throws -> Data {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try enc.encode(file(p, name: name))
    }
}
