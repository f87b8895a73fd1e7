import Foundation

/// Wall-clock time per stage of a run (reading, encoding, fitting, …), for
/// `--timings` and the benchmark: where a large file's time goes.
public final class StageClock: @unchecked Sendable {
    public struct Stage: Sendable {
        public var name: String
        public var seconds: Double
    }

    public private(set) var stages: [Stage] = []
    private let lock = NSLock()

    public init() {}

    /// Runs `body` and adds its wall time to the stage `name` (stages of the
    /// same name add up, in order of first use).
    public func measure<T, E: Error>(_ name: String, _ body: () throws(E) -> T) throws(E) -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { add(name, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9) }
        return try body()
    }

    public func add(_ name: String, seconds: Double) {
        lock.lock()
        defer { lock.unlock() }
        if let i = stages.firstIndex(where: { $0.name == name }) {
            stages[i].seconds += seconds
        } else {
            stages.append(Stage(name: name, seconds: seconds))
        }
    }

    /// One line per stage and a total, aligned, e.g. "  read      1.234 s".
    public var summary: String {
        let width = max(5, stages.map(\.name.count).max() ?? 0)
        let total = stages.reduce(0) { $0 + $1.seconds }
        func line(_ name: String, _ s: Double) -> String {
            name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + ModelNumber.fixed(s, 3) + " s"
        }
        return (stages.map { line($0.name, $0.seconds) } + [line("total", total)]).joined(separator: "\n")
    }
}
