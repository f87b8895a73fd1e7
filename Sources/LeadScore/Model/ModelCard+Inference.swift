import Foundation

/// Wald inference for one coefficient.
///
/// z = β / SE; two-sided p = P(|Z| ≥ |z|) = erfc(|z| / √2) for standard
/// normal Z; 95% interval β ± 1.959963984540054 · SE; odds ratio e^β (the
/// factor by which the odds of winning change per unit of the feature).
/// For a numeric feature the model's unit is one standard deviation of the
/// training values; `perUnit` rescales to the column's own unit (per visit,
/// per day) by dividing by that standard deviation (log1p columns: per unit
/// of log1p). These are the values `inspect` prints.
public struct CoefficientSummary: Codable, Sendable, Equatable {
    public var name: String
    public var column: String
    public var coefficient: Double
    public var standardError: Double
    public var z: Double
    public var pValue: Double
    public var lower95: Double
    public var upper95: Double
    public var oddsRatio: Double
    /// Coefficient and interval per original unit, for numeric value
    /// features; nil for others (already per unit: 0/1 features).
    public var perUnit: PerUnit?

    public struct PerUnit: Codable, Sendable, Equatable {
        public var coefficient: Double
        public var standardError: Double
        public var lower95: Double
        public var upper95: Double
        public var unit: String
    }

    public static let z975 = 1.959963984540054

    init(name: String, column: String, coefficient b: Double, standardError se: Double, scale: Double?, unit: String) {
        self.name = name
        self.column = column
        coefficient = b
        standardError = se
        z = b / se
        pValue = erfc(abs(b / se) / 2.0.squareRoot())
        lower95 = b - Self.z975 * se
        upper95 = b + Self.z975 * se
        oddsRatio = exp(b)
        perUnit = scale.map { s in
            PerUnit(coefficient: b / s, standardError: se / s, lower95: (b - Self.z975 * se) / s, upper95: (b + Self.z975 * se) / s, unit: unit)
        }
    }
}

extension ModelCard {
    /// Every feature's Wald summary, in feature order, then the intercept.
    public func coefficientSummaries() -> [CoefficientSummary] {
        var scales: [String: (Double, String)] = [:]
        for c in schema.encoders.columns {
            switch c {
            // A spline column's effect is its curve (`inspect`), not a slope per unit.
            case .numeric(let e) where e.spline == nil:
                scales[e.column] = (e.standardDeviation, e.log1p ? "per unit of log1p(\(e.column))" : "per unit of \(e.column)")
            case .date(let e) where e.numeric.spline == nil: scales[e.featureNames[0]] = (e.numeric.standardDeviation, "per day")
            default: break
            }
        }
        var rows = features.map { f in
            let s = scales[f.name]
            return CoefficientSummary(
                name: f.name, column: f.column, coefficient: f.coefficient, standardError: f.standardError,
                scale: s?.0, unit: s?.1 ?? "")
        }
        rows.append(
            CoefficientSummary(
                name: "(intercept)", column: "", coefficient: intercept.coefficient, standardError: intercept.standardError,
                scale: nil, unit: ""))
        return rows
    }

    /// The intercept on the original scale of the numeric features: the
    /// log-odds of a lead at the reference level of every category, false
    /// on every boolean, and 0 on every numeric column (not missing),
    /// b + Σ β_j (t(0) − mean_j) / sd_j over the numeric features, t the
    /// column's transform (log1p or none), and a spline's terms at t(0).
    public var interceptPerUnit: Double {
        var b = intercept.coefficient
        var k = 0
        for c in schema.encoders.columns {
            switch c {
            case .numeric(let e):
                b += e.contribution(0, coefficients: coefficients[k...])
            case .date(let e):
                b += e.numeric.contribution(0, coefficients: coefficients[k...])
            default: break
            }
            k += c.featureCount
        }
        return b
    }
}
