import Foundation

/// The JSON that LeadScore writes (model cards, comparison reports, model
/// diffs): sorted keys, two-space indentation, slashes unescaped and a
/// final newline, so that the same value always gives the same bytes.
enum JSONOutput {
    /// With `nonFiniteAsStrings`, NaN and the infinities are written as the
    /// strings "NaN", "Infinity" and "-Infinity" (JSON has no such
    /// numbers); without it they cannot be written, which is an error.
    /// `what` names the document in the error.
    static func data<T: Encodable>(_ value: T, nonFiniteAsStrings: Bool, what: String) throws(InputError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if nonFiniteAsStrings {
            encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        }
        do {
            var data = try encoder.encode(value)
            data.append(0x0A)
            return data
        } catch {
            throw InputError(.io, "\(what) could not be written as JSON (\(error)).", remedy: "This is a bug in LeadScore: please report it with the command you ran.")
        }
    }
}
