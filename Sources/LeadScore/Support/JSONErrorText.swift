import Foundation

/// Turns a `DecodingError` into a sentence that names the key.
enum JSONErrorText {
    static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "the top level" : "\"\(p)\""
        }
        // Foundation's descriptions are sentences ("…instead."); they are
        // quoted inside LeadScore's own sentence, so without the period.
        func clause(_ text: String) -> String {
            var t = text.trimmingCharacters(in: .whitespaces)
            while t.hasSuffix(".") { t.removeLast() }
            return t
        }
        switch e {
        case .typeMismatch(_, let c): return "wrong type at \(path(c)): \(clause(c.debugDescription))"
        case .valueNotFound(_, let c): return "missing value at \(path(c))"
        case .keyNotFound(let k, let c): return "missing key \"\(k.stringValue)\" in \(path(c))"
        case .dataCorrupted(let c): return "\(clause(c.debugDescription)) at \(path(c))"
        @unknown default: return "\(error)"
        }
    }
}
