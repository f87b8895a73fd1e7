/// A deterministic random number generator: SplitMix64 (Steele, Lea and
/// Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).
///
/// The same seed gives the same stream on every platform and every Swift
/// version, which is what makes splits, generated datasets and models
/// reproducible bit for bit. The algorithm is three lines, so other tools
/// (the Python fixture scripts, a user's notebook) can reproduce a split:
///
///     state += 0x9E3779B97F4A7C15
///     z = (state ^ (state >> 30)) * 0xBF58476D1CE4E5B9
///     z = (z ^ (z >> 27)) * 0x94D049BB133111EB
///     return z ^ (z >> 31)
///
/// Do not use Swift's `Int.random(in:using:)` or `shuffle(using:)` with it
/// where reproducibility across versions matters: their reduction methods
/// are not documented as stable. Use `uniform()`, `index(below:)` and
/// `shuffle(_:)` below, whose definitions are given here.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The seed of every seeded step (holdout split, folds, calibration
    /// split, bootstrap) when none is given.
    public static let defaultSeed: UInt64 = 42

    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A double uniform on [0, 1): the top 53 bits of `next()` times 2⁻⁵³.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// An integer uniform on 0..<n by Lemire's multiply-shift reduction
    /// without rejection: `(next() * n) >> 64`. Its bias is below n / 2⁶⁴,
    /// negligible for any n a dataset has.
    public mutating func index(below n: Int) -> Int {
        precondition(n > 0)
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Fisher–Yates from the end: for i = n-1 down to 1, swap a[i] with
    /// a[index(below: i + 1)].
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            a.swapAt(i, index(below: i + 1))
        }
    }
}
