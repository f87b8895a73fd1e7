import Foundation
import LeadScore

/// Terminal output: messages on standard error, and progress only when
/// standard error is a terminal (silent in pipes, files and CI logs).
enum Terminal {
    static let isInteractive = isatty(2) == 1

    /// Writes library text to standard error, its option keys as flags.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((CommandLineText.render(text) + "\n").utf8))
    }

    /// A progress handler that redraws one line at most 4 times a second:
    /// rows read and rows per second. nil when not on a terminal.
    static func progress(_ verb: String, quiet: Bool) -> ProgressHandler? {
        guard isInteractive, !quiet else { return nil }
        let start = Date()
        let last = LockedDate()
        return { rows, _ in
            let now = Date()
            guard last.advance(to: now, minimum: 0.25) else { return }
            let seconds = max(now.timeIntervalSince(start), 1e-9)
            let line = "\r\(verb) \(ModelNumber.grouped(rows)) rows (\(ModelNumber.grouped(Int(Double(rows) / seconds))) rows/s)\u{1B}[K"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    /// Clears the progress line.
    static func endProgress(quiet: Bool) {
        if isInteractive && !quiet { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        TextTable.render(header, rows, rightAligned: rightAligned)
    }
}

/// The time of the last progress redraw, shared with the reading thread.
final class LockedDate: @unchecked Sendable {
    private var last = Date.distantPast
    private let lock = NSLock()
    func advance(to now: Date, minimum: TimeInterval) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard now.timeIntervalSince(last) >= minimum else { return false }
        last = now
        return true
    }
}
