import Foundation

/// The one-way effect a numeric column is held to (`train --monotone`):
/// its contribution to the log-odds never falls (`increasing`) or never
/// rises (`decreasing`) as its value grows. How it is enforced:
/// `NaturalSpline` (the ramp basis) and `FeatureEncoder.coefficientBounds`.
public enum MonotoneDirection: String, Codable, Sendable, CaseIterable {
    case increasing, decreasing
}
