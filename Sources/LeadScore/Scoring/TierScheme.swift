/// Tiers from the 0–100 score: the first tier whose cut the score reaches,
/// else the last tier. Cuts are inclusive lower bounds and strictly
/// decreasing. Written as `A:50,B:30,C:15,D` (the default): A for scores
/// of 50 and above, B for 30–49, C for 15–29, D below 15. Tier names are
/// distinct.
public struct TierScheme: Codable, Sendable, Equatable, CustomStringConvertible {
    public var labels: [String]
    /// One cut per label except the last.
    public var cuts: [Int]

    public static let standard = TierScheme(labels: ["A", "B", "C", "D"], cuts: [50, 30, 15])

    public init(labels: [String], cuts: [Int]) {
        precondition(labels.count == cuts.count + 1)
        self.labels = labels
        self.cuts = cuts
    }

    /// Parses `A:50,B:30,C:15,D`.
    public init(parsing text: String) throws(InputError) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        var labels: [String] = [], cuts: [Int] = []
        let example = "Write tiers as LABEL:CUT,…,LAST, e.g. \"A:50,B:30,C:15,D\" (cuts are 0–100 scores, decreasing)."
        for (i, part) in parts.enumerated() {
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
            let isLast = i == parts.count - 1
            guard !pieces[0].isEmpty, pieces.count == (isLast ? 1 : 2) else {
                throw InputError(.badConfiguration, "the tier \"\(part)\" in \"\(text)\" is not LABEL:CUT (the last tier has no cut).", remedy: example)
            }
            guard !labels.contains(pieces[0]) else {
                // Two tiers of one name would be counted together in every summary.
                throw InputError(.badConfiguration, "the tier name \"\(pieces[0])\" appears twice in \"\(text)\".", remedy: "Give each tier its own name. " + example)
            }
            labels.append(pieces[0])
            if !isLast {
                guard let cut = Int(pieces[1]), (0...100).contains(cut), cuts.last.map({ cut < $0 }) ?? true else {
                    throw InputError(.badConfiguration, "the cut \"\(pieces[1])\" in \"\(text)\" is not a whole number from 0 to 100 below the previous cut.", remedy: example)
                }
                cuts.append(cut)
            }
        }
        guard labels.count >= 2 else {
            throw InputError(.badConfiguration, "\"\(text)\" defines fewer than two tiers.", remedy: example)
        }
        self.init(labels: labels, cuts: cuts)
    }

    public func tier(score: Int) -> String {
        for (i, cut) in cuts.enumerated() where score >= cut { return labels[i] }
        return labels[labels.count - 1]
    }

    public var description: String {
        zip(labels, cuts).map { "\($0):\($1)" }.joined(separator: ",") + "," + labels[labels.count - 1]
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
