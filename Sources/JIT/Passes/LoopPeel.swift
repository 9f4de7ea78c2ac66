// Loop optimization (stub until the passes branch lands).
public enum LoopOpt {
    @discardableResult public static func run(_ t: Trace, builder: IRBuilder) -> Bool { false }
}
