import Foundation

/// A moment to the second, written in UTC as ISO 8601:
/// `2026-12-07T10:15:00Z`. The `scored_at` of a scores file
/// (`ScoresProvenance`).
///
/// Read (`init?(iso:)`):
///
///     timestamp = date | date "T" time zone
///     date      = YYYY "-" MM "-" DD          (a real day, as `FieldParser.isoDate`)
///     time      = HH ":" MM [":" SS ["." digits]]
///     zone      = "Z" | sign HH [[":"] MM]
///
/// with hours 00–23, minutes and seconds 00–59 and offsets up to 14:00. A
/// date alone is its midnight in UTC; a time needs its zone, since a local
/// time names no one moment. An offset is taken away (`10:15+02:00` is
/// 08:15 UTC), and fractions of a second are dropped (truncated), so the
/// text written back is always whole seconds in UTC.
public struct UTCTimestamp: Sendable, Equatable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    /// `date`, its fraction of a second dropped (rounded down).
    public init(_ date: Date) { seconds = Int(date.timeIntervalSince1970.rounded(.down)) }

    /// This moment.
    public static var now: UTCTimestamp { UTCTimestamp(Date()) }

    /// The moment `text` names (grammar above), or nil.
    public init?(iso text: String) {
        let u = Array(text.utf8)
        let day = u.withUnsafeBufferPointer { FieldParser.isoDate(UnsafeBufferPointer(rebasing: $0.prefix(10))) }
        guard u.count >= 10, let day else { return nil }
        if u.count == 10 {
            seconds = day * 86400
            return
        }
        var i = 11
        /// Two digits at i, at most `limit`.
        func two(_ limit: Int) -> Int? {
            guard i + 2 <= u.count, u[i] &- 0x30 < 10, u[i + 1] &- 0x30 < 10 else { return nil }
            let v = Int(u[i] &- 0x30) * 10 + Int(u[i + 1] &- 0x30)
            i += 2
            return v <= limit ? v : nil
        }
        func skip(_ c: UInt8) -> Bool {
            guard i < u.count, u[i] == c else { return false }
            i += 1
            return true
        }
        guard u[10] == 0x54, let hour = two(23), skip(0x3A), let minute = two(59) else { return nil }
        var second = 0
        if skip(0x3A) {
            guard let s = two(59) else { return nil }
            second = s
            if skip(0x2E) {
                let from = i
                while i < u.count, u[i] &- 0x30 < 10 { i += 1 }
                guard i > from else { return nil }
            }
        }
        var offset = 0
        if skip(0x5A) {
            // Z: UTC.
        } else if i < u.count, u[i] == 0x2B || u[i] == 0x2D {
            let sign = u[i] == 0x2D ? -1 : 1
            i += 1
            guard let h = two(14) else { return nil }
            var m = 0
            if i < u.count {
                _ = skip(0x3A)
                guard let mm = two(59) else { return nil }
                m = mm
            }
            offset = sign * (h * 3600 + m * 60)
        } else {
            return nil
        }
        guard i == u.count else { return nil }
        seconds = day * 86400 + hour * 3600 + minute * 60 + second - offset
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var description: String {
        let day = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let s = seconds - day * 86400
        func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return "\(ValueParser.isoDateString(days: day))T\(pad(s / 3600)):\(pad(s / 60 % 60)):\(pad(s % 60))Z"
    }
}
