import Foundation
import LeadScore

/// Terminal output: messages on standard error, and progress only when
/// standard error is a terminal (silent in pipes, files and CI logs).
enum Terminal {
    static let isInteractive = isatty(2) == 1

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
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
            let line = "\r\(verb) \(grouped(rows)) rows (\(grouped(Int(Double(rows) / seconds))) rows/s)\u{1B}[K"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    /// Clears the progress line.
    static func endProgress(quiet: Bool) {
        if isInteractive && !quiet { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// 1234567 → "1,234,567".
    static func grouped(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A plain text table with right-aligned numeric columns.
    static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int> = []) -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return rightAligned.contains(i) ? pad + c : c + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line)).joined(separator: "\n")
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
