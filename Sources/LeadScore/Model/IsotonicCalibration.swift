import Foundation

// The isotonic map: a non-decreasing, piecewise-linear map from a score to
// a probability, as fitted by `IsotonicCalibration.fit`
// (Evaluation/Isotonic.swift, with the fit's definition and references).
// It lives with the model card's format because a recalibrated card
// stores one (`ModelCard.Calibration`).
//
// Predict. For a new score t: clip t to [first breakpoint, last breakpoint],
// then interpolate linearly between the two breakpoints around it; a score
// equal to a breakpoint returns that breakpoint's value exactly (numpy.interp,
// which scikit-learn uses through scipy's interp1d). With a single
// breakpoint every prediction is its value. NaN predicts NaN (where
// scikit-learn, with one breakpoint, would return the constant); ±∞ clip to
// the end values.
//
// Decoding checks that the breakpoints are finite, strictly increasing and
// as many as the values.

/// A fitted isotonic (non-decreasing, piecewise-linear) map from scores to
/// probabilities.
public struct IsotonicCalibration: Codable, Sendable, Equatable {
    /// Breakpoint scores, strictly increasing.
    public private(set) var scores: [Double]
    /// Fitted value at each breakpoint, non-decreasing.
    public private(set) var probabilities: [Double]

    init(uncheckedScores scores: [Double], probabilities: [Double]) {
        self.scores = scores
        self.probabilities = probabilities
    }

    /// A map from given breakpoints; nil unless they are finite, strictly
    /// increasing, non-empty and as many as the finite values.
    public init?(scores: [Double], probabilities: [Double]) {
        guard IsotonicCalibration.valid(scores: scores, probabilities: probabilities) else { return nil }
        self.init(uncheckedScores: scores, probabilities: probabilities)
    }

    static func valid(scores: [Double], probabilities: [Double]) -> Bool {
        !scores.isEmpty && scores.count == probabilities.count && scores.allSatisfy(\.isFinite)
            && probabilities.allSatisfy(\.isFinite) && zip(scores, scores.dropFirst()).allSatisfy { $0 < $1 }
    }

    enum CodingKeys: String, CodingKey { case scores, probabilities }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let scores = try c.decode([Double].self, forKey: .scores)
        let probabilities = try c.decode([Double].self, forKey: .probabilities)
        guard IsotonicCalibration.valid(scores: scores, probabilities: probabilities) else {
            throw DecodingError.dataCorruptedError(
                forKey: .scores, in: c,
                debugDescription: "isotonic breakpoints must be finite, strictly increasing and match the values")
        }
        self.init(uncheckedScores: scores, probabilities: probabilities)
    }

    /// The calibrated probability of one score (clipped to the fitted range,
    /// then linear between breakpoints).
    public func predict(_ score: Double) -> Double {
        guard !score.isNaN else { return .nan }
        let n = scores.count
        if n == 1 { return probabilities[0] }
        let t = score < scores[0] ? scores[0] : (score > scores[n - 1] ? scores[n - 1] : score)
        // j: the last breakpoint ≤ t.
        var lo = 0, hi = n - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if scores[mid] <= t { lo = mid } else { hi = mid - 1 }
        }
        let j = lo
        if j == n - 1 || scores[j] == t { return probabilities[j] }
        let slope = (probabilities[j + 1] - probabilities[j]) / (scores[j + 1] - scores[j])
        return slope * (t - scores[j]) + probabilities[j]
    }

    public func predict(_ scores: [Double]) -> [Double] { scores.map { predict($0) } }
}

extension IsotonicCalibration {
    /// The map with every breakpoint's value clipped to [floor, 1 − floor]:
    /// the values are clipped, then interpolated (scikit-learn's
    /// IsotonicRegression with y_min = floor, y_max = 1 − floor), so the
    /// map stays non-decreasing and piecewise linear between the same
    /// breakpoints.
    public func clipped(floor: Double) -> IsotonicCalibration {
        IsotonicCalibration(uncheckedScores: scores, probabilities: probabilities.map { min(max($0, floor), 1 - floor) })
    }

    /// The smallest score whose prediction reaches `q` (`predict(t) ≥ q`),
    /// −∞ when every score does (q at or below the first value), nil when
    /// none does (q above the last value). Between two breakpoints the map
    /// is linear, so the score is found on the first segment that reaches
    /// q, by inverting it; rounding can leave `predict` of the result an
    /// ulp below q.
    public func smallestScore(reaching q: Double) -> Double? {
        guard let first = probabilities.first, let last = probabilities.last, !q.isNaN else { return nil }
        if q <= first { return -.infinity }
        guard q <= last else { return nil }
        // j: the first breakpoint whose value reaches q (j ≥ 1).
        let j = probabilities.firstIndex { $0 >= q }!
        let (x0, x1, y0, y1) = (scores[j - 1], scores[j], probabilities[j - 1], probabilities[j])
        return min(x1, x0 + (q - y0) / (y1 - y0) * (x1 - x0))
    }
}
