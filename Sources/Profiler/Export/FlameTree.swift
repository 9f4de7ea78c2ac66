// FlameTree.swift: stacks merged into a tree of frames (children sorted by label, as in
// flamegraph.pl, so equal prefixes line up), the shape every flame graph draws.

public final class FlameNode {
    public let frame: ProfileFrame
    public var total = 0
    public var selfWeight = 0
    public var children: [FlameNode] = []
    var index: [String: Int] = [:]

    init(frame: ProfileFrame) { self.frame = frame }

    func child(_ f: ProfileFrame) -> FlameNode {
        let key = f.label + "\u{1}" + f.kind.rawValue
        if let i = index[key] { return children[i] }
        let n = FlameNode(frame: f.function)
        index[key] = children.count
        children.append(n)
        return n
    }

    public func find(_ label: String) -> FlameNode? { children.first { $0.frame.label == label } }

    func sortChildren() {
        children.sort { $0.frame.label < $1.frame.label }
        index.removeAll()
        for c in children { c.sortChildren() }
    }

    public var depth: Int { 1 + (children.map(\.depth).max() ?? 0) }
}

public enum FlameTree {
    public static func build(_ stacks: [WeightedStack], rootName: String = "all") -> FlameNode {
        let root = FlameNode(frame: ProfileFrame(kind: .vm, name: rootName))
        for s in stacks where s.weight > 0 {
            root.total += s.weight
            var n = root
            for f in s.frames {
                n = n.child(f)
                n.total += s.weight
            }
            n.selfWeight += s.weight
        }
        root.sortChildren()
        return root
    }
}
