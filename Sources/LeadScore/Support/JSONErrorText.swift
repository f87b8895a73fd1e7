import Foundation

/// Turns a `DecodingError` into a sentence that names the key.
enum JSONErrorText {
    static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ c: DecodingError.Context) -> String {
            let p = c.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "the top level" : "\"\(p)\""
        }
        switch e {
        case .typeMismatch(_, let c): return "wrong type at \(path(c)): \(c.debugDescription)"
        case .valueNotFound(_, let c): return "missing value at \(path(c))"
        case .keyNotFound(let k, let c): return "missing key \"\(k.stringValue)\" in \(path(c))"
        case .dataCorrupted(let c): return "\(c.debugDescription) at \(path(c))"
        @unknown default: return "\(error)"
        }
    }
}
