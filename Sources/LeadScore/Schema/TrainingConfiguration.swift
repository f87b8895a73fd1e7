import Foundation

/// The type LeadScore gives a column's values.
public enum ColumnKind: String, Codable, Sendable, CaseIterable {
    case numeric, boolean, categorical, date
}

/// How a training run reads its CSV: roles, types and encoding choices.
///
/// Every field is optional: what is absent is inferred from the data (see
/// `SchemaInference`). It is read from a JSON file (`--config FILE`) and
/// command-line flags override it field by field. The format, with every
/// key shown:
///
/// ```json
/// {
///   "formatVersion": 1,
///   "target": "Stage",
///   "positive": ["Closed Won"],
///   "negative": ["Closed Lost"],
///   "ids": ["Deal ID"],
///   "exclude": ["Created Date"],
///   "include": [],
///   "types": {"Company Size": "categorical"},
///   "missingValues": ["Select"],
///   "log1p": ["Email Clicks"],
///   "weight": "Deal Weight",
///   "minCategoryCount": 30,
///   "maxCategoryLevels": 50,
///   "asOf": "2026-06-30",
///   "l2": 1.0,
///   "classWeight": "none",
///   "holdout": 0.3,
///   "seed": 42
/// }
/// ```
public struct TrainingConfiguration: Codable, Sendable, Equatable {
    /// The newest configuration format this version reads.
    public static let currentFormatVersion = 1

    public var formatVersion: Int?
    /// The outcome column.
    public var target: String?
    /// Target values that mean won (converted). Compared after trimming.
    public var positive: [String]?
    /// Target values that mean lost. Rows whose target is neither positive
    /// nor negative (open deals) are left out and counted.
    public var negative: [String]?
    /// Identifier columns: passed through to scored output, never features.
    public var ids: [String]?
    /// Columns never used.
    public var exclude: [String]?
    /// High-cardinality text columns to one-hot encode anyway.
    public var include: [String]?
    /// Forced column types.
    public var types: [String: ColumnKind]?
    /// Extra values meaning missing, added to the defaults
    /// (`ValueParser.defaultMissingMarkers`).
    public var missingValues: [String]?
    /// Numeric columns transformed by sign(x)·log1p(|x|) before standardising.
    public var log1p: [String]?
    /// A column of positive sample weights.
    public var weight: String?
    /// A category level is kept if at least this many training rows have it;
    /// rarer levels are pooled into "(other)". Default 30.
    public var minCategoryCount: Int?
    /// A text column with more distinct values than this is treated as free
    /// text or an identifier and left out with a notice, unless listed in
    /// `include`. Default 50.
    public var maxCategoryLevels: Int?
    /// Reference date (YYYY-MM-DD) for date columns: a date becomes the
    /// number of days before it. Default: the latest date in the file.
    public var asOf: String?
    /// λ, the L2 penalty (λ = 1/C for scikit-learn's C). Default 1.
    public var l2: Double?
    public var classWeight: ClassWeight?
    /// Fraction of rows held out (stratified by outcome, seeded) for
    /// validation metrics. Default 0 (none).
    public var holdout: Double?
    public var seed: UInt64?

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case formatVersion, target, positive, negative, ids, exclude, include, types, missingValues, log1p, weight
        case minCategoryCount, maxCategoryLevels, asOf, l2, classWeight, holdout, seed
        static var allKeys: [String] { allCases.map(\.rawValue) }
    }

    public static let defaultMinCategoryCount = 30
    public static let defaultMaxCategoryLevels = 50

    /// Reads a configuration file. Refused with a message naming the key:
    /// malformed JSON, an unknown key (a typo would otherwise be silently
    /// ignored), a wrong value type, or a newer format version.
    public static func load(path: String) throws(InputError) -> TrainingConfiguration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(.io, at: InputLocation(file: path), "cannot read the configuration file.", remedy: "Check the path passed to --config.")
        }
        let config: TrainingConfiguration
        do { config = try JSONDecoder().decode(TrainingConfiguration.self, from: data) } catch {
            throw InputError(
                .badConfiguration, at: InputLocation(file: path),
                "the configuration is not valid: \(JSONErrorText.describe(error)).",
                remedy: "Fix the file; its format is documented in the README under \"Configuration\".")
        }
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            let known = Set(CodingKeys.allKeys)
            if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: path, column: unknown),
                    "unknown configuration key \"\(unknown)\".",
                    remedy: "Known keys: \(CodingKeys.allKeys.joined(separator: ", ")).")
            }
        }
        if let v = config.formatVersion, v > currentFormatVersion {
            throw InputError(
                .badConfiguration, at: InputLocation(file: path),
                "the configuration has formatVersion \(v), newer than this LeadScore understands (\(currentFormatVersion)).",
                remedy: "Upgrade LeadScore, or write the file in format version \(currentFormatVersion).")
        }
        return config
    }

    /// Fields set in `other` replace those in `self`.
    public func overridden(by other: TrainingConfiguration) -> TrainingConfiguration {
        var c = self
        c.target = other.target ?? target
        c.positive = other.positive ?? positive
        c.negative = other.negative ?? negative
        c.ids = other.ids.map { (ids ?? []) + $0 } ?? ids
        c.exclude = other.exclude.map { (exclude ?? []) + $0 } ?? exclude
        c.include = other.include.map { (include ?? []) + $0 } ?? include
        if let t = other.types { c.types = (types ?? [:]).merging(t) { $1 } }
        c.missingValues = other.missingValues.map { (missingValues ?? []) + $0 } ?? missingValues
        c.log1p = other.log1p.map { (log1p ?? []) + $0 } ?? log1p
        c.weight = other.weight ?? weight
        c.minCategoryCount = other.minCategoryCount ?? minCategoryCount
        c.maxCategoryLevels = other.maxCategoryLevels ?? maxCategoryLevels
        c.asOf = other.asOf ?? asOf
        c.l2 = other.l2 ?? l2
        c.classWeight = other.classWeight ?? classWeight
        c.holdout = other.holdout ?? holdout
        c.seed = other.seed ?? seed
        return c
    }
}

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
