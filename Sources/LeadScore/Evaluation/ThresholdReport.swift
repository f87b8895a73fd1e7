import Foundation

/// What `leadscore thresholds` found: the cuts, what each tier does on the
/// leads that chose it and on later leads, per month, and the capacity
/// curve. Written as JSON (`jsonData`), text (`ThresholdTextReport`) and
/// HTML (`ThresholdHTMLReport`).
public struct ThresholdReport: Codable, Sendable {
    public var format = "leadscore-thresholds"
    public var formatVersion = 1
    public var file: String
    public var sha256: String
    public var scorer: String
    public var scorerKind: ScorerReport.Kind
    /// What the cuts are on: the probability (a model) or points (rules).
    public var measure: TierScheme.Measure
    /// Whether conversions are observed (an outcome column) or, for a
    /// model on a new batch, expected.
    public var labelled: Bool
    public var fileRows: Int
    public var excludedRows: Int
    public var timeColumn: String?
    /// Where the arrival rate comes from; nil when there is none.
    public var rateSource: String?
    /// The period leads and conversions are counted per.
    public var period: RatePeriod
    public var tiers: [TierCut]
    /// The part the cuts were chosen on, then the part they are reported
    /// on; one part, `both`, without a date column.
    public var parts: [Part]
    public var months: [Month]
    public var curve: Curve?
    /// The grid's cut-offs when set from shares; nil otherwise.
    public var grid: GridChoice?
    public var notes: [String]
    public var definitions: [String: String]

    public struct TierCut: Codable, Sendable {
        public var name: String
        public var action: String?
        public var targets: [String]
        /// The lowest score the tier takes; nil for the last tier.
        public var atLeast: Double?
        public var checks: [TargetCheck]
    }

    public struct Part: Codable, Sendable {
        public var role: String
        public var from: String?
        public var to: String?
        /// Rows of the file in the part, with or without an outcome.
        public var rows: Int
        /// Scored leads in the part.
        public var leads: Int
        /// All leads arriving per period (nil without a rate).
        public var arrivalsPerPeriod: Double?
        /// Conversions (observed, or a model's expected); nil when unknown.
        public var conversions: Double?
        public var tiers: [TierRow]
    }

    /// One tier on one part. Intervals are Wilson 95% intervals, on
    /// labelled leads only.
    public struct TierRow: Codable, Sendable {
        public var name: String
        public var leads: Int
        /// The tier's share of the part's leads times the arrival rate.
        public var leadsPerPeriod: Double?
        public var shareOfLeads: Double
        public var conversions: Double?
        public var conversionsPerPeriod: Double?
        public var conversionRate: Double?
        public var conversionRateInterval: [Double]?
        public var shareOfConversions: Double?
        public var shareOfConversionsInterval: [Double]?
    }

    /// Grid cut-offs from shares of leads (`GridShares`), and the shares
    /// they reach on each part: per part, [fit, engagement], each the
    /// cumulative shares at or above the three cuts.
    public struct GridChoice: Codable, Sendable {
        public var shares: [Double]
        public var fit: [Double]
        public var engagement: [Double]
        public var reached: [[[Double]]]
    }

    /// Leads per tier in one calendar month, in the order of the tiers.
    public struct Month: Codable, Sendable {
        public var month: String
        /// Whether every day of the month is within the file's dates.
        public var complete: Bool
        public var leads: Int
        public var tiers: [Int]
    }

    /// Cumulative leads against cumulative conversions, best-scored leads
    /// first, on the part that reports, with a mark at each tier's cut.
    public struct Curve: Codable, Sendable {
        public var x: String
        public var y: String
        /// Whether the axes are per period (with a rate) or shares.
        public var perPeriod: Bool
        public var points: [[Double]]
        public var marks: [Mark]

        public struct Mark: Codable, Sendable {
            public var tier: String
            public var x: Double
            public var y: Double
        }
    }

    /// The tier names in report order: the scheme's, then any disqualify tiers.
    public var tierNames: [String] { parts.first?.tiers.map(\.name) ?? tiers.map(\.name) }

    /// Per tier, the least and greatest share of a complete month's leads.
    public var monthlyShareRange: [(name: String, lowest: Double, highest: Double)] {
        let complete = months.filter { $0.complete && $0.leads > 0 }
        return tierNames.enumerated().map { k, name in
            let shares = complete.map { Double($0.tiers[k]) / Double($0.leads) }
            return (name, shares.min() ?? .nan, shares.max() ?? .nan)
        }
    }

    public func jsonData() throws(InputError) -> Data {
        try JSONOutput.data(self, nonFiniteAsStrings: true, what: "the thresholds report")
    }

    static func definitions(period: RatePeriod) -> [String: String] {
        [
            "cut": "The lowest score a tier takes, inclusive: a model's probability of winning, or a rules file's points. Leads with equal scores are never split.",
            "choose, report": "With a date column, the cuts are chosen on the older leads and reported on the newer ones, as they would have worked on leads they had not seen.",
            "leads per \(period.rawValue)": "A tier's share of the part's scored leads times the rate at which leads arrive (every dated row of the part per day, or the given rate), times the days in a \(period.rawValue) (a month is 30.4375 days).",
            "capacity": "The tier holds at most this many leads per period.",
            "share": "The tier holds at most this share of the leads.",
            "precision": "The tier's own conversion rate is at least this.",
            "recall": "The tier and the tiers above it catch at least this share of all conversions.",
            "intervals": "Wilson 95% score intervals, on labelled leads.",
            "expected conversions": "On a file without an outcome, a model's conversions are the sum of its probabilities.",
        ]
    }
}

/// The counting behind a `ThresholdReport`: every lead already has its tier
/// (from `TierScheme.index`, or a disqualify entry).
struct ThresholdCounting {
    let names: [String]
    let tierOf: [String]
    let labels: [Double]
    /// A model's probabilities; nil for rules.
    let probabilities: [Double]?
    let labelled: Bool
    let period: RatePeriod

    /// Lead i's conversions: its label, or a model's expected conversions;
    /// NaN when neither is known.
    func conversions(_ i: Int) -> Double { labelled ? labels[i] : probabilities?[i] ?? .nan }

    func part(_ span: PartSpan, leads: [Int], arrivalPerDay: Double?) -> ThresholdReport.Part {
        let n = leads.count
        let total = leads.reduce(0.0) { $0 + conversions($1) }
        let known = !total.isNaN
        let perPeriod = arrivalPerDay.map { $0 * period.days }
        let rows = names.map { name -> ThresholdReport.TierRow in
            let members = leads.filter { tierOf[$0] == name }
            let m = members.count
            let c = members.reduce(0.0) { $0 + conversions($1) }
            let share = n > 0 ? Double(m) / Double(n) : .nan
            var row = ThresholdReport.TierRow(
                name: name, leads: m, leadsPerPeriod: perPeriod.map { share * $0 }, shareOfLeads: share,
                conversions: known ? c : nil, conversionsPerPeriod: known ? perPeriod.map { n > 0 ? c / Double(n) * $0 : .nan } : nil,
                conversionRate: known && m > 0 ? c / Double(m) : nil, shareOfConversions: known && total > 0 ? c / total : nil)
            if labelled {
                let won = Int(c), allWon = Int(total)
                if m > 0 { row.conversionRateInterval = interval(won, m) }
                if allWon > 0 { row.shareOfConversionsInterval = interval(won, allWon) }
            }
            return row
        }
        return ThresholdReport.Part(
            role: span.role.rawValue, from: span.firstDay.map(ValueParser.isoDateString(days:)), to: span.lastDay.map(ValueParser.isoDateString(days:)),
            rows: span.rows, leads: n, arrivalsPerPeriod: perPeriod, conversions: known ? total : nil, tiers: rows)
    }

    private func interval(_ positives: Int, _ count: Int) -> [Double] {
        let w = CalibrationSupport.wilson(positives: positives, count: count)
        return [w.lower, w.upper]
    }

    /// What tier `k` reaches on `part` for the target of `check`.
    func measure(_ check: TargetCheck, tier k: Int, in part: ThresholdReport.Part) -> Double? {
        let row = part.tiers[k]
        switch check.kind {
        case .capacity(let rate)?: return row.leadsPerPeriod.map { $0 / period.days * rate.period.days }
        case .share?: return row.shareOfLeads
        case .precision?: return row.conversionRate
        case .recall?:
            guard let total = part.conversions, total > 0 else { return nil }
            return part.tiers[0...k].reduce(0.0) { $0 + ($1.conversions ?? .nan) } / total
        case nil: return nil
        }
    }

    /// Leads per tier per calendar month, from the first day to the last.
    func months(days: [Int], first: Int, last: Int) -> [ThresholdReport.Month] {
        var byMonth: [String: [Int]] = [:]
        for (i, day) in days.enumerated() {
            let key = String(ValueParser.isoDateString(days: day).prefix(7))
            var counts = byMonth[key] ?? [Int](repeating: 0, count: names.count)
            if let k = names.firstIndex(of: tierOf[i]) { counts[k] += 1 }
            byMonth[key] = counts
        }
        return byMonth.keys.sorted().map { key in
            let start = ValueParser.isoDate(key + "-01")!
            let (y, m) = (Int(key.prefix(4))!, Int(key.suffix(2))!)
            let next = ValueParser.isoDate(m == 12 ? "\(y + 1)-01-01" : "\(key.prefix(4))-\(m < 9 ? "0" : "")\(m + 1)-01")!
            let counts = byMonth[key]!
            return ThresholdReport.Month(month: key, complete: start >= first && next - 1 <= last, leads: counts.reduce(0, +), tiers: counts)
        }
    }

    /// The capacity curve of `leads` (disqualified leads left out: they are
    /// never worked), at most about 400 points, with each cut marked.
    func curve(leads: [Int], scores: [Double], arrivalPerDay: Double?, scheme: TierScheme, tierCount: Int) -> ThresholdReport.Curve? {
        let worked = leads.filter { names.prefix(tierCount).contains(tierOf[$0]) }
        let ladder = Ladder(scores: worked.map { scores[$0] }, conversions: worked.map(conversions))
        guard !ladder.values.isEmpty, !ladder.total.isNaN, ladder.total > 0 else { return nil }
        // Per period: the share of the part's leads times the arrivals.
        let n = Double(leads.count)
        func point(_ g: Int) -> [Double] {
            if let arrival = arrivalPerDay {
                let scale = arrival * period.days / n
                return [Double(ladder.leads[g]) * scale, ladder.conversions[g] * scale]
            }
            return [Double(ladder.leads[g]) / n, ladder.conversions[g] / ladder.total]
        }
        let step = max(1, ladder.values.count / 400)
        var points = [[0.0, 0.0]]
        for g in stride(from: 0, to: ladder.values.count, by: step) { points.append(point(g)) }
        if (ladder.values.count - 1) % step != 0 { points.append(point(ladder.values.count - 1)) }
        let marks = scheme.valueCuts.enumerated().compactMap { k, cut -> ThresholdReport.Curve.Mark? in
            guard let g = ladder.values.lastIndex(where: { $0 >= cut }) else { return nil }
            let p = point(g)
            return ThresholdReport.Curve.Mark(tier: scheme.labels[k], x: p[0], y: p[1])
        }
        let unit = period.rawValue, what = labelled ? "Conversions" : "Expected conversions"
        return ThresholdReport.Curve(
            x: arrivalPerDay == nil ? "Leads worked, best-scored first (share of all leads)" : "Leads worked per \(unit), best-scored first",
            y: arrivalPerDay == nil ? "\(what) caught (share of all)" : "\(what) caught per \(unit)",
            perPeriod: arrivalPerDay != nil, points: points, marks: marks)
    }
}
