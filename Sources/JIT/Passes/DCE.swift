// Dead-code elimination (stub until the passes branch lands).
public enum DCE {
    public static func run(_ t: Trace) {}
}
