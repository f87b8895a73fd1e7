import Foundation

/// What to cut, on which leads, and how.
public struct ThresholdRequest: Sendable {
    public var dataPath: String
    /// A model (cuts on the probability) or a rules file (cuts on points).
    public var scorer: ScorerSource
    /// How the outcome is read. nil: a model's own outcome when the file
    /// has its column, else none; the leads are then a new batch, and a
    /// model's expected conversions (the sum of its probabilities) stand in
    /// for conversions.
    public var outcome: OutcomeRule?
    /// Best first; the last without targets (`ThresholdTier.check`).
    public var tiers: [ThresholdTier]
    /// A date column: the arrival rate, the split in time and the months.
    public var timeColumn: String?
    /// The first day of the later part (`YYYY-MM-DD`), on which the cuts are
    /// reported; the cuts are chosen on the rows before it. Default, with a
    /// time column: the day that leaves `chooseShare` of the rows before it.
    public var testFrom: String?
    /// Share of the dated rows, oldest first, the cuts are chosen on when
    /// `testFrom` is not given.
    public var chooseShare: Double
    /// Leads arriving per period; default, with a time column: measured.
    public var rate: LeadRate?
    /// For a model with fit and engagement groups: three cumulative shares
    /// of the leads, increasing, for the grid's bands A, A–B, A–C (and 1,
    /// 1–2, 1–3) on each axis; nil keeps the model's training quartiles.
    public var gridShares: [Double]?
    public var scoring: ScoringOptions

    public init(
        dataPath: String, scorer: ScorerSource, outcome: OutcomeRule? = nil, tiers: [ThresholdTier], timeColumn: String? = nil,
        testFrom: String? = nil, chooseShare: Double = 0.7, rate: LeadRate? = nil, gridShares: [Double]? = nil,
        scoring: ScoringOptions = ScoringOptions()
    ) {
        self.gridShares = gridShares
        self.dataPath = dataPath
        self.scorer = scorer
        self.outcome = outcome
        self.tiers = tiers
        self.timeColumn = timeColumn
        self.testFrom = testFrom
        self.chooseShare = chooseShare
        self.rate = rate
        self.scoring = scoring
    }
}

/// Cut-offs from a sales team's capacity or targets: `leadscore thresholds`.
///
/// 1. Every row of the file is scored on the one scoring road
///    (`LabelledLeads`: `ModelScorer` or `RuleScorer`); with an outcome,
///    rows without one are left out and counted. A rules file's
///    disqualified leads keep their disqualify tier and take no part in the
///    cuts.
/// 2. With a time column, the rows before `testFrom` choose the cuts and
///    the rows from it report them (out of time: what the cuts would have
///    done on later leads). Without one, the same rows do both, and the
///    report says its figures are in-sample.
/// 3. The leads that choose are ranked best first; leads with equal scores
///    are never split (a cut is a score, so a tier takes all or none of
///    them). Each tier in turn, below the tiers above it, takes:
///    - capacity c per period: at most c / r of the leads, r the arrival
///      rate (all dated rows of the part per day, or the given rate), so
///      that the tier's leads per period stay within c;
///    - share s: at most s of the leads;
///    - precision f: the largest tier whose own conversion rate is at
///      least f;
///    - recall r: the smallest tier such that it and the tiers above catch
///      at least r of the conversions.
///    Capacity, share and precision bound the tier from above and the
///    largest tier within all of them is taken; recall bounds it from
///    below. When both kinds are given and cannot both hold, the upper
///    bounds win (sales cannot work more leads than it has time for) and a
///    note says how much recall the tier reaches.
/// 4. A tier's cut is the lowest score it takes (an inclusive lower bound,
///    as every tier scheme: `TierScheme.index`). The tiers are then applied
///    to every lead through that one tier decision, and counted per part
///    and per calendar month.
public enum Thresholds {
    public static func run(_ request: ThresholdRequest) throws(InputError) -> (scheme: TierScheme, report: ThresholdReport) {
        try ThresholdTier.check(request.tiers)
        let path = request.dataPath
        let isRules: Bool
        var outcome = request.outcome
        var outcomeOptional = false
        switch request.scorer {
        case .model(_, let card):
            isRules = false
            if outcome == nil {
                outcome = .known(card.schema.target)
                outcomeOptional = true
            }
        case .rules:
            isRules = true
        }
        var testFrom: Int? = nil
        if let text = request.testFrom {
            guard let day = ValueParser.isoDate(text) else {
                throw InputError(.badConfiguration, "the first day to report on, \"\(text)\", is not a date written YYYY-MM-DD.", remedy: "Write \(OptionKey.testFrom.mention) as YYYY-MM-DD.")
            }
            guard request.timeColumn != nil else {
                throw InputError(
                    .badConfiguration, "a first day to report on was given without a date column to compare it with.",
                    remedy: "Name the leads' date column with \(OptionKey.timeColumn.mention).")
            }
            testFrom = day
        }
        guard request.chooseShare > 0 && request.chooseShare < 1 else {
            throw InputError(.badConfiguration, "the share of rows to choose on, \(request.chooseShare), is not between 0 and 1.", remedy: "Use a share such as 0.7.")
        }

        // 1. Score every lead, with its date.
        var dates = DateColumn(name: request.timeColumn, file: path)
        var leadDays: [Int] = []
        let leads = try LabelledLeads.read(
            path: path, outcome: outcome, outcomeOptional: outcomeOptional, scorers: [request.scorer], options: request.scoring,
            visit: { reader throws(InputError) in try dates.read(reader) },
            lead: { _, _, _ throws(InputError) in if let day = dates.lastDay { leadDays.append(day) } })
        let labelled = leads.target != nil
        let scores = leads.scores[0], probabilities = leads.probabilities[0]
        let labels = leads.labels
        let disqualified = leads.disqualified[0]

        // 2. Which leads choose, which report.
        var notes: [String] = []
        var parts: [PartSpan] = []
        if request.timeColumn != nil {
            guard let first = dates.days.min(), let last = dates.days.max() else {
                throw InputError(.noTrainingData, at: InputLocation(file: path), "the file has no leads.", remedy: "Cut on a file with leads.")
            }
            let cut = testFrom ?? DateColumn.day(leaving: request.chooseShare, of: dates.days)
            guard cut > first, cut <= last else {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: path, column: request.timeColumn),
                    "the first day to report on, \(ValueParser.isoDateString(days: cut)), leaves no leads \(cut <= first ? "before it to choose the cuts on" : "from it to report them on") (the leads run from \(ValueParser.isoDateString(days: first)) to \(ValueParser.isoDateString(days: last))).",
                    remedy: "Pick a day between the first and last dates with \(OptionKey.testFrom.mention).")
            }
            parts = [
                PartSpan(role: .choose, firstDay: first, lastDay: cut - 1, rows: dates.days.reduce(0) { $0 + ($1 < cut ? 1 : 0) }),
                PartSpan(role: .report, firstDay: cut, lastDay: last, rows: dates.days.reduce(0) { $0 + ($1 >= cut ? 1 : 0) }),
            ]
        } else {
            parts = [PartSpan(role: .both, firstDay: nil, lastDay: nil, rows: leads.fileRows)]
            notes.append("No date column was named, so the cuts are reported on the leads they were chosen on, where targets on conversions look better than they will on new leads; name one with \(OptionKey.timeColumn.mention) to check the cuts on later leads.")
        }
        // Per part, its leads; and those ranked for the cuts (not disqualified).
        let inPart: [[Int]] = parts.map { part in
            labels.indices.filter { i in
                guard let first = part.firstDay, let last = part.lastDay else { return true }
                return leadDays[i] >= first && leadDays[i] <= last
            }
        }
        let members = inPart.map { $0.filter { !disqualified[$0] } }
        let arrivals: [Double?] = parts.map { part in
            if let rate = request.rate { return rate.perDay }
            guard let first = part.firstDay, let last = part.lastDay else { return nil }
            return Double(part.rows) / Double(last - first + 1)
        }

        // 3. The cuts, on the leads that choose.
        let choosing = members[0]
        guard !choosing.isEmpty else {
            throw InputError(.noTrainingData, at: InputLocation(file: path), "no leads are left to choose the cuts on.", remedy: "Cut on a file with scored leads.")
        }
        let ladder = Ladder(
            scores: choosing.map { scores[$0] }, conversions: choosing.map { labelled ? labels[$0] : (isRules ? .nan : probabilities[$0]) },
            population: inPart[0].count)
        var cuts: [Double] = [], checks: [[TargetCheck]] = []
        var above = -1
        for (k, tier) in request.tiers.dropLast().enumerated() {
            let choice = try ladder.choose(
                tier, below: above, arrivalPerDay: arrivals[0], labelled: labelled, isRules: isRules, file: path,
                next: request.tiers[k + 1].name)
            above = choice.group
            cuts.append(ladder.values[choice.group])
            notes += choice.notes
            checks.append(choice.checks)
        }
        var scheme = TierScheme(
            labels: request.tiers.map(\.name), valueCuts: cuts, measure: isRules ? .points : .probability, actions: request.tiers.map(\.action))
        var gridChoice: ThresholdReport.GridChoice? = nil
        if let shares = request.gridShares {
            let sub = leads.subScores[0]
            guard !isRules, let first = choosing.first, sub[first] != nil else {
                throw InputError(
                    .badConfiguration, at: InputLocation(file: path),
                    isRules ? "grid cut-offs from shares are set for models; a rules file's grid is in the rules file." : "the model has no fit and engagement groups, so it has no grid to cut.",
                    remedy: isRules ? "Set the rules file's `grid`, or leave out the grid shares." : "Train with the columns assigned to fit and engagement, or leave out the grid shares.")
            }
            let grid = try GridShares.cuts(
                shares: shares, fit: choosing.map { sub[$0]!.fit }, engagement: choosing.map { sub[$0]!.engagement }, file: path)
            scheme.grid = grid
            gridChoice = ThresholdReport.GridChoice(
                shares: shares, fit: grid.fit, engagement: grid.engagement,
                reached: inPart.map { part in GridShares.reached(grid, scores: part.compactMap { sub[$0] }) })
        }

        // 4. Apply the tiers to every lead and count.
        let tierOf: [String] = labels.indices.map { i in
            disqualified[i] ? leads.tiers[0][i] : scheme.labels[scheme.index(value: scores[i])]
        }
        let names = scheme.labels + Array(Set(labels.indices.filter { disqualified[$0] }.map { tierOf[$0] })).sorted()
        let period = request.tiers.lazy.flatMap(\.targets).compactMap { if case .capacity(let r) = $0 { r.period } else { nil } }.first ?? .week
        let counted = ThresholdCounting(
            names: names, tierOf: tierOf, labels: labels, probabilities: isRules ? nil : probabilities, labelled: labelled, period: period)
        var reportParts: [ThresholdReport.Part] = []
        for (p, part) in parts.enumerated() { reportParts.append(counted.part(part, leads: inPart[p], arrivalPerDay: arrivals[p])) }
        // The targets as met on the part that reports.
        let reportingPart = reportParts[reportParts.count - 1]
        for k in checks.indices {
            for c in checks[k].indices { checks[k][c].reported = counted.measure(checks[k][c], tier: k, in: reportingPart) }
        }
        let months = request.timeColumn == nil ? [] : counted.months(days: leadDays, first: dates.days.min()!, last: dates.days.max()!)
        let curve = counted.curve(
            leads: inPart[inPart.count - 1], scores: scores, arrivalPerDay: arrivals[arrivals.count - 1], scheme: scheme, tierCount: request.tiers.count)
        if leads.excluded > 0 {
            notes.append("\(ModelNumber.grouped(leads.excluded)) rows without an outcome (open deals) are left out of the cuts and the counts; the arrival rate counts them.")
        }
        if disqualified.contains(true) {
            notes.append("\(ModelNumber.grouped(disqualified.filter { $0 }.count)) leads disqualified by the rules file keep their disqualify tier and take no part in the cuts.")
        }
        if !labelled && !isRules {
            notes.append("The file has no outcome, so conversions are the model's expected conversions (the sum of its probabilities): as good as the model's calibration.")
        }
        let report = ThresholdReport(
            file: (path as NSString).lastPathComponent, sha256: path == "-" ? "" : try FileDigest.sha256(path: path), scorer: request.scorer.name,
            scorerKind: isRules ? .rules : .model, measure: scheme.measure, labelled: labelled, fileRows: leads.fileRows, excludedRows: leads.excluded,
            timeColumn: request.timeColumn, rateSource: request.rate.map { "given: \($0)" } ?? (request.timeColumn == nil ? nil : "measured from \(request.timeColumn!)"),
            period: period,
            tiers: request.tiers.indices.map { k in
                ThresholdReport.TierCut(
                    name: scheme.labels[k], action: scheme.actions[k], targets: request.tiers[k].targets.map(\.description),
                    atLeast: k < cuts.count ? cuts[k] : nil, checks: k < checks.count ? checks[k] : [])
            },
            parts: reportParts, months: months, curve: curve, grid: gridChoice, notes: notes, definitions: ThresholdReport.definitions(period: period))
        return (scheme, report)
    }
}

/// The leads that choose, in tie groups of equal score, best first, with
/// running counts: leads, and conversions (labels, or a model's expected
/// conversions; NaN when neither is known).
struct Ladder {
    /// Per group: its score, and the leads and conversions of groups 0…g.
    var values: [Double] = []
    var leads: [Int] = []
    var conversions: [Double] = []
    var total: Double { conversions.last ?? 0 }
    /// The leads capacities and shares are counted against: these, and
    /// any left out of the ranking (disqualified).
    var population = 0

    init(scores: [Double], conversions: [Double], population: Int? = nil) {
        self.population = population ?? scores.count
        let known = !conversions.contains(where: \.isNaN)
        // RankedScores needs 0/1 labels; the conversions are summed here.
        guard let ranked = RankedScores(scores: scores, labels: [Double](repeating: 0, count: scores.count)) else { return }
        var n = 0, c = 0.0
        ranked.forEachGroupDescending { group in
            for position in group {
                n += 1
                if known { c += conversions[ranked.row(at: position)] }
            }
            values.append(scores[ranked.row(at: group.lowerBound)])
            leads.append(n)
            self.conversions.append(known ? c : .nan)
            return true
        }
    }

    /// The groups a tier below group `above` can end at, and its leads and
    /// conversions when it ends at `g`.
    func tierLeads(_ g: Int, below above: Int) -> Int { leads[g] - (above >= 0 ? leads[above] : 0) }
    func tierConversions(_ g: Int, below above: Int) -> Double { conversions[g] - (above >= 0 ? conversions[above] : 0) }

    struct Choice {
        var group: Int
        var checks: [TargetCheck]
        var notes: [String]
    }

    /// The last group of `tier`, below the tiers ending at group `above`
    /// (−1: none). See `Thresholds` for the rules.
    func choose(
        _ tier: ThresholdTier, below above: Int, arrivalPerDay: Double?, labelled: Bool, isRules: Bool, file: String, next: String
    ) throws(InputError) -> Choice {
        let at = InputLocation(file: file)
        let candidates = (above + 1)..<values.count
        guard !candidates.isEmpty else {
            throw InputError(
                .badConfiguration, at: at, "the tiers above \"\(tier.name)\" already take every lead, so it would be empty.",
                remedy: "Give the tiers above smaller targets, or drop \"\(tier.name)\".")
        }
        let n = population
        var upper: Int? = nil, hasUpper = false
        var lower: Int? = nil
        func bound(_ g: Int?) { upper = min(upper ?? Int.max, g ?? -1) }
        for target in tier.targets {
            if target.needsConversions && total.isNaN {
                throw InputError(
                    .badConfiguration, at: at, "the tier \"\(tier.name)\" has a \(target) target, which needs to know which leads convert, and the file has no outcome\(isRules ? " (and points are not probabilities)" : "").",
                    remedy: "Cut on labelled history (name the outcome column with \(OptionKey.target.mention)), or use capacity and share targets on a new batch.")
            }
            switch target {
            case .capacity(let rate):
                guard let arrival = arrivalPerDay else {
                    throw InputError(
                        .badConfiguration, at: at, "the tier \"\(tier.name)\" has a capacity, and how many leads arrive per \(rate.period.rawValue) is not known.",
                        remedy: "Name the leads' date column with \(OptionKey.timeColumn.mention), or give the arrival rate with \(OptionKey.arrivalRate.mention), e.g. 190/week.")
                }
                hasUpper = true
                let allowed = Int((rate.perDay / arrival * Double(n)).nextUp.rounded(.down))
                bound(candidates.last(where: { tierLeads($0, below: above) <= allowed }))
            case .share(let s):
                hasUpper = true
                let allowed = Int((s * Double(n)).nextUp.rounded(.down))
                bound(candidates.last(where: { tierLeads($0, below: above) <= allowed }))
            case .precision(let f):
                hasUpper = true
                let g = candidates.last(where: { tierConversions($0, below: above) >= f * Double(tierLeads($0, below: above)) })
                if g == nil {
                    let best = candidates.map { tierConversions($0, below: above) / Double(tierLeads($0, below: above)) }.max() ?? 0
                    throw InputError(
                        .badConfiguration, at: at,
                        "no tier \"\(tier.name)\" converts at \(ModelNumber.percent(f)) or more: the best it can do is \(ModelNumber.percent(best)).",
                        remedy: "Lower the precision target below \(ModelNumber.percent(best)).")
                }
                bound(g)
            case .recall(let r):
                guard total > 0 else {
                    throw InputError(.singleClass, at: at, "the leads that choose the cuts have no conversions, so no recall can be reached.", remedy: "Cut on history with won deals.")
                }
                if above >= 0 && conversions[above] >= r * total {
                    throw InputError(
                        .badConfiguration, at: at,
                        "the tiers above \"\(tier.name)\" already catch \(ModelNumber.percent(conversions[above] / total)) of the conversions, so its recall target (\(ModelNumber.percent(r))) adds no leads.",
                        remedy: "Give \"\(tier.name)\" a recall target above \(ModelNumber.percent(conversions[above] / total)), or drop it.")
                }
                let g = candidates.first(where: { conversions[$0] >= r * total }) ?? candidates.upperBound - 1
                lower = max(lower ?? g, g)
            }
        }
        var notes: [String] = []
        let group: Int
        if hasUpper {
            guard let u = upper, u >= candidates.lowerBound else {
                throw InputError(
                    .badConfiguration, at: at,
                    "the tier \"\(tier.name)\" would be empty: its targets (\(tier.targets.map(\.description).joined(separator: ", "))) leave no room even for the \(ModelNumber.grouped(tierLeads(candidates.lowerBound, below: above))) best-scored leads below the tiers above, which share one score.",
                    remedy: "Raise the tier's capacity or share.")
            }
            group = u
            if let l = lower, l > u {
                notes.append(
                    "\"\(tier.name)\": its upper bounds come first, so it reaches a recall of \(ModelNumber.percent(conversions[u] / total)), short of its recall target; it would need \(ModelNumber.grouped(tierLeads(l, below: above))) leads instead of \(ModelNumber.grouped(tierLeads(u, below: above))).")
            }
        } else {
            group = lower!
        }
        if group == values.count - 1 {
            notes.append("\"\(tier.name)\" takes every lead left on the leads that choose, leaving none for \"\(next)\" there.")
        }
        let checks = tier.targets.map { target in
            TargetCheck(target: target.description, kind: target, chosen: measure(target, group: group, below: above, arrivalPerDay: arrivalPerDay))
        }
        return Choice(group: group, checks: checks, notes: notes)
    }

    /// What the tier ending at `g` reaches on the leads that choose: leads
    /// per period, share, conversion rate or recall.
    func measure(_ target: ThresholdTarget, group g: Int, below above: Int, arrivalPerDay: Double?) -> Double {
        let n = Double(population), m = Double(tierLeads(g, below: above))
        switch target {
        case .capacity(let rate): return arrivalPerDay.map { m / n * $0 * rate.period.days } ?? .nan
        case .share: return m / n
        case .precision: return tierConversions(g, below: above) / m
        case .recall: return conversions[g] / total
        }
    }
}

/// A target and what the tier reaches: on the leads that chose the cut,
/// and on the leads it is reported on.
public struct TargetCheck: Codable, Sendable {
    public var target: String
    /// Leads per period, share, conversion rate or recall.
    public var chosen: Double
    public var reported: Double?
    let kind: ThresholdTarget?

    init(target: String, kind: ThresholdTarget, chosen: Double) {
        self.target = target
        self.kind = kind
        self.chosen = chosen
    }

    enum CodingKeys: String, CodingKey { case target, chosen, reported }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        target = try c.decode(String.self, forKey: .target)
        chosen = try c.decode(Double.self, forKey: .chosen)
        reported = try c.decodeIfPresent(Double.self, forKey: .reported)
        kind = nil
    }
}

/// The dates of a file's rows, read as it is scored.
struct DateColumn {
    let name: String?
    let file: String
    private var index: Int?
    /// Every row's day, in file order.
    private(set) var days: [Int] = []
    private(set) var lastDay: Int?

    init(name: String?, file: String) {
        self.name = name
        self.file = file
    }

    mutating func read(_ reader: CSVReader) throws(InputError) {
        guard let name else { return }
        if index == nil {
            guard let i = reader.header.firstIndex(of: name) else {
                throw InputError(
                    .missingColumn, at: InputLocation(file: file, line: 1, column: name), "the file has no date column \"\(name)\".",
                    remedy: "Name the leads' date column (such as the created date) with \(OptionKey.timeColumn.mention).")
            }
            index = i
        }
        let text = reader.field(index!)
        guard let day = ValueParser.isoDate(ValueParser.trim(text)) else {
            throw InputError(
                .invalidValue, at: InputLocation(file: file, line: reader.recordLine, column: name, value: text),
                ValueParser.trim(text).isEmpty ? "the lead has no date, and every lead needs one to be counted per period." : "the value is not a date written YYYY-MM-DD.",
                remedy: "Fill in or fix the date, or name another date column with \(OptionKey.timeColumn.mention).")
        }
        days.append(day)
        lastDay = day
    }

    /// The first day d such that at least `share` of `days` fall before it.
    static func day(leaving share: Double, of days: [Int]) -> Int {
        let sorted = days.sorted()
        let k = min(sorted.count - 1, max(0, Int((share * Double(sorted.count)).rounded(.up)) - 1))
        return sorted[k] + 1
    }
}

/// A part of the leads by date: the one the cuts are chosen on, the one
/// they are reported on, or both (no date column).
struct PartSpan {
    enum Role: String, Codable, Sendable { case choose, report, both }
    var role: Role
    var firstDay: Int?
    var lastDay: Int?
    /// Rows of the file dated in the part, with or without an outcome.
    var rows: Int
}

/// Grid cut-offs from shares of leads: on each axis, the k-th cut is the
/// lowest whole sub-score at or above which at most the k-th share of the
/// leads lie, so a band never takes more than its share and leads with one
/// sub-score are never split.
enum GridShares {
    static func cuts(shares: [Double], fit: [Int], engagement: [Int], file: String) throws(InputError) -> GridCuts {
        guard shares.count == GridCuts.cutsPerAxis, zip(shares, shares.dropFirst()).allSatisfy({ $0 < $1 }), shares.allSatisfy({ $0 > 0 && $0 < 1 }) else {
            throw InputError(
                .badConfiguration, "the grid's shares must be \(GridCuts.cutsPerAxis) increasing shares of the leads between 0 and 1.",
                remedy: "Write e.g. 25%,50%,75%: A (and 1) the top quarter, A–B the top half, A–C the top three quarters.")
        }
        func axis(_ values: [Int], _ name: String) throws(InputError) -> [Double] {
            // count[c]: leads with a sub-score of at least c, c = 0…101.
            var atLeast = [Int](repeating: 0, count: 102)
            for v in values { atLeast[min(max(v, 0), 100)] += 1 }
            for c in stride(from: 99, through: 0, by: -1) { atLeast[c] += atLeast[c + 1] }
            var cuts: [Double] = []
            for share in shares {
                let allowed = Int((share * Double(values.count)).nextUp.rounded(.down))
                let cut = (0...101).first { atLeast[$0] <= allowed }!
                guard cut <= 100, cuts.last.map({ Double(cut) < $0 }) ?? true else {
                    throw InputError(
                        .badConfiguration, at: InputLocation(file: file),
                        "on the \(name) axis, the band for \(ModelNumber.percent(share)) of the leads would be empty or the same as the one above: too many leads share one \(name) score.",
                        remedy: "Use shares further apart.")
                }
                cuts.append(Double(cut))
            }
            return cuts
        }
        return GridCuts(fit: try axis(fit, "fit"), engagement: try axis(engagement, "engagement"))
    }

    /// The cumulative shares of `scores` at or above each cut, per axis.
    static func reached(_ grid: GridCuts, scores: [SubScores]) -> [[Double]] {
        let n = Double(max(scores.count, 1))
        return [
            grid.fit.map { cut in Double(scores.filter { Double($0.fit) >= cut }.count) / n },
            grid.engagement.map { cut in Double(scores.filter { Double($0.engagement) >= cut }.count) / n },
        ]
    }
}

extension ModelCard {
    /// A copy of the card carrying `scheme` as its tiers (`ModelCard.tiers`),
    /// for `score` and `evaluate` to use when no tiers are given, with a
    /// training notice saying where the cuts came from. Only a card whose
    /// checksum was verified gets one: the copy is checksummed anew, which
    /// would otherwise pass an edited card off as trained.
    public func carrying(_ scheme: TierScheme, from report: ThresholdReport, file: String) throws(InputError) -> ModelCard {
        guard integrity == .verified else {
            throw InputError(
                .editedModel, at: InputLocation(file: file),
                "the tiers can be stored only in a model card whose checksum holds; this one was changed after training or predates checksums.",
                remedy: "Retrain the model, or keep the cuts in the tiers file and pass it to score and evaluate with \(OptionKey.tiers.mention).")
        }
        guard scheme.measure != .points else {
            throw InputError(.badConfiguration, at: InputLocation(file: file), "tiers cut on points are a rules file's, not a model's.", remedy: "Store tiers chosen with a model.")
        }
        var card = self
        card.tiers = scheme
        card.training.notices.append("Tiers \(scheme.description) set by leadscore thresholds on \(report.file) (SHA-256 \(report.sha256.prefix(16))…).")
        card.formatVersion = card.requiredFormatVersion
        return card
    }
}
