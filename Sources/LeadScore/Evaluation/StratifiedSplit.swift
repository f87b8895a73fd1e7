/// A stratified, seeded holdout split.
///
/// For each class (lost first, then won), the row indices of that class in
/// file order are shuffled with `SeededGenerator(seed:)`'s Fisher–Yates
/// (one generator for both classes, lost shuffled first), and the first
/// round(fraction × class size) of the shuffled list are held out. Both
/// returned lists are in file order. The whole definition is here so that a
/// notebook can reproduce the split exactly.
public enum StratifiedSplit {
    public static func split(rows: [Int], labels: [Double], fraction: Double, seed: UInt64) -> (train: [Int], holdout: [Int]) {
        guard fraction > 0 else { return (rows, []) }
        var rng = SeededGenerator(seed: seed)
        var held = [Bool](repeating: false, count: (rows.max() ?? -1) + 1)
        for cls in [0.0, 1.0] {
            var members = rows.filter { labels[$0] == cls }
            rng.shuffle(&members)
            let k = Int((fraction * Double(members.count)).rounded())
            for r in members.prefix(k) { held[r] = true }
        }
        return (rows.filter { !held[$0] }, rows.filter { held[$0] })
    }

    /// Stratified k folds: for each class (lost first, then won) the rows
    /// of that class in file order are shuffled as in `split`, and the i-th
    /// shuffled row goes to fold i mod k. Returns, for each fold, the
    /// fitting rows (all other folds) and the test rows, both in file order.
    public static func folds(rows: [Int], labels: [Double], k: Int, seed: UInt64) -> [(fit: [Int], test: [Int])] {
        precondition(k >= 2)
        var rng = SeededGenerator(seed: seed)
        var foldOf = [Int](repeating: -1, count: (rows.max() ?? -1) + 1)
        for cls in [0.0, 1.0] {
            var members = rows.filter { labels[$0] == cls }
            rng.shuffle(&members)
            for (i, r) in members.enumerated() { foldOf[r] = i % k }
        }
        return (0..<k).map { f in (rows.filter { foldOf[$0] != f }, rows.filter { foldOf[$0] == f }) }
    }
}
