import Foundation

/// How a rules file's points roll up to an account.
public enum PointsRollup: String, CaseIterable, Sendable {
    /// The account's points are the sum of its leads' points: every
    /// engaged contact adds to the account.
    case sum
    /// The account's points are its best lead's: one strong contact is
    /// enough.
    case max
}

/// Which column names a lead's account, and how an account is scored.
public struct AccountOptions: Sendable {
    /// The column holding the account (company) of each lead.
    public var column: String
    /// For rules files: sum or maximum of the leads' points.
    public var points: PointsRollup

    public init(column: String, points: PointsRollup = .sum) {
        self.column = column
        self.points = points
    }
}

/// The leads of a file as the account roll-up needs them, in file order:
/// gathered while scoring (`Scorer`, segment by segment, appended in file
/// order) or from labelled leads (`evaluate`), and folded by
/// `AccountRollup` in that order, so the result does not depend on how the
/// file was cut or on the core count.
struct AccountLeads: Sendable {
    /// The account of each lead, trimmed; nil when missing.
    var accounts: [String?] = []
    /// Each lead's id (the first id column), or nil to use its row number.
    var ids: [String?] = []
    /// A model's log-odds, or a rules file's points.
    var values: [Double] = []
    /// The disqualify tier of a lead a rules file disqualified, else nil.
    var disqualifiedTiers: [String?] = []
    /// On labelled leads (`evaluate`): 1 won, 0 lost; else empty.
    var labels: [Double] = []

    var count: Int { values.count }

    mutating func append(account: String?, id: String?, value: Double, disqualifiedTier: String? = nil) {
        accounts.append(account)
        ids.append(id)
        values.append(value)
        disqualifiedTiers.append(disqualifiedTier)
    }

    /// Labelled leads for `evaluate`: no ids (row numbers), `values` per
    /// lead, the disqualify tiers of a rules scorer.
    init(accounts: [String?], values: [Double], disqualifiedTiers: [String?]? = nil, labels: [Double]) {
        self.accounts = accounts
        ids = [String?](repeating: nil, count: values.count)
        self.values = values
        self.disqualifiedTiers = disqualifiedTiers ?? [String?](repeating: nil, count: values.count)
        self.labels = labels
    }

    init() {}

    mutating func append(contentsOf other: AccountLeads) {
        accounts += other.accounts
        ids += other.ids
        values += other.values
        disqualifiedTiers += other.disqualifiedTiers
    }
}

/// One account, rolled up from its leads.
public struct AccountRow: Sendable, Equatable {
    public var account: String
    public var leads: Int
    /// Leads a rules file disqualified (0 for models).
    public var disqualifiedLeads: Int
    /// A model: the probability that at least one lead converts.
    /// Rules: NaN.
    public var probability: Double
    /// A model: round(100 · probability). Rules: the rolled-up points.
    public var score: Double
    /// The best lead (highest probability or points; the first in the
    /// file among equals, but that a model's leads tied on a flat step of
    /// an isotonic calibration are ordered by their log-odds): its id, or
    /// its 1-based row number as text.
    public var bestLead: String
    public var bestValue: Double
    /// The mean of the leads' probabilities (a model) or points (rules).
    public var mean: Double
    public var tier: String
    /// On labelled leads: whether any of the account's leads converted.
    public var converted: Bool? = nil
}

/// Accounts from their leads.
///
/// A model's account probability is the chance that at least one of its
/// n leads converts, assuming the leads convert independently given their
/// scores:
///
///     P(any) = 1 − Π (1 − p_i) = 1 − exp(Σ log(1 − p_i))
///
/// computed as −expm1(Σ log(1 − p_i)), so neither a product of many
/// factors near 1 nor 1 minus a number near 1 loses precision. The leads'
/// probabilities and log(1 − p_i) come from the model's
/// `ProbabilityMap` (the one road of a model's probabilities): for a card
/// without a calibration, or with a logistic one, log(1 − p_i) =
/// −log(1 + e^η′_i) (`log1pexp`) of the (calibrated) log-odds η′_i; for an
/// isotonic calibration, which gives p_i directly, log1p(−p_i). Contacts of one company
/// are rarely independent (one buying decision), so P(any) overstates an
/// account with many lukewarm contacts; it ranks accounts, and its
/// calibration is checked by `evaluate`'s account level.
///
/// A rules file's account points are the sum or the maximum of its
/// qualifying leads' points (`PointsRollup`). Disqualified leads are
/// counted but add no points; an account whose leads are all disqualified
/// takes the first one's disqualify tier.
///
/// Leads without an account are left out (and counted by the caller).
/// Accounts are listed best first (probability, or points), ties in order
/// of first appearance.
enum AccountRollup {
    /// The accounts, best first.
    static func accounts(_ leads: AccountLeads, model tiers: TierScheme, map: ProbabilityMap = .identity) -> [AccountRow] {
        bestFirst(rows(leads, model: tiers, map: map))
    }

    static func accounts(_ leads: AccountLeads, rules: RuleSet, points: PointsRollup) -> [AccountRow] {
        bestFirst(rows(leads, rules: rules, points: points))
    }

    /// The accounts in order of first appearance; `leads.values` are the
    /// model's log-odds, mapped to probabilities by `map`.
    static func rows(_ leads: AccountLeads, model tiers: TierScheme, map: ProbabilityMap = .identity) -> [AccountRow] {
        fold(leads) { values, members in
            var logNone = 0.0, sum = 0.0
            for i in members {
                logNone += map.logComplement(values[i])
                sum += map.probability(logOdds: values[i])
            }
            let p = -expm1(logNone)
            let score = Int((p * 100).rounded())
            return (p, Double(score), { map.probability(logOdds: $0) }, sum / Double(members.count), tiers.tier(probability: p, score: score))
        }
    }

    static func rows(_ leads: AccountLeads, rules: RuleSet, points: PointsRollup) -> [AccountRow] {
        fold(leads) { values, members in
            var total = 0.0, best = -Double.infinity
            for i in members {
                total += values[i]
                best = Swift.max(best, values[i])
            }
            let rolled = points == .sum ? total : best
            return (.nan, rolled, { $0 }, total / Double(members.count), rules.tier(for: rolled))
        }
    }

    /// Groups the leads by account in file order and rolls each up with
    /// `score`, given the values and the qualifying leads' indices (in file
    /// order): the probability, the score, how a value reads for the best
    /// lead, the mean and the tier.
    private static func fold(
        _ leads: AccountLeads,
        _ score: ([Double], [Int]) -> (probability: Double, score: Double, shown: (Double) -> Double, mean: Double, tier: String)
    ) -> [AccountRow] {
        var index: [String: Int] = [:], members: [[Int]] = [], names: [String] = [], disqualified: [[Int]] = []
        for i in 0..<leads.count {
            guard let account = leads.accounts[i] else { continue }
            let k: Int
            if let known = index[account] {
                k = known
            } else {
                k = names.count
                index[account] = k
                names.append(account)
                members.append([])
                disqualified.append([])
            }
            if leads.disqualifiedTiers[i] != nil { disqualified[k].append(i) } else { members[k].append(i) }
        }
        var rows: [AccountRow] = []
        for k in names.indices {
            let converted = leads.labels.isEmpty ? nil : (members[k] + disqualified[k]).contains { leads.labels[$0] > 0.5 }
            guard let top = members[k].max(by: { leads.values[$0] < leads.values[$1] || (leads.values[$0] == leads.values[$1] && $0 > $1) }) else {
                let first = disqualified[k][0]
                rows.append(
                    AccountRow(
                        account: names[k], leads: disqualified[k].count, disqualifiedLeads: disqualified[k].count, probability: .nan, score: .nan,
                        bestLead: "", bestValue: .nan, mean: .nan, tier: leads.disqualifiedTiers[first]!, converted: converted))
                continue
            }
            let s = score(leads.values, members[k])
            rows.append(
                AccountRow(
                    account: names[k], leads: members[k].count + disqualified[k].count, disqualifiedLeads: disqualified[k].count,
                    probability: s.probability, score: s.score, bestLead: leads.ids[top] ?? String(top + 1), bestValue: s.shown(leads.values[top]),
                    mean: s.mean, tier: s.tier, converted: converted))
        }
        return rows
    }

    /// Best first: by probability for a model (finer than the score), else
    /// by points; all-disqualified accounts last; ties keep the order of
    /// first appearance (a stable sort).
    private static func bestFirst(_ rows: [AccountRow]) -> [AccountRow] {
        func key(_ r: AccountRow) -> Double {
            let v = r.probability.isNaN ? r.score : r.probability
            return v.isNaN ? -.infinity : v
        }
        return rows.enumerated().sorted { a, b in
            key(a.element) != key(b.element) ? key(a.element) > key(b.element) : a.offset < b.offset
        }.map(\.element)
    }

    /// The account file's header and one row per account.
    static func write(_ rows: [AccountRow], isModel: Bool, to output: AtomicOutput) {
        let writer = CSVWriter(output: output)
        writer.writeRow(
            isModel
                ? ["account", "leads", "probability_any", "score_any", "best_lead", "best_probability", "mean_probability", "tier"]
                : ["account", "leads", "disqualified_leads", "points", "best_lead", "best_points", "mean_points", "tier"])
        for r in rows {
            writer.writeRow(
                isModel
                    ? [r.account, String(r.leads), ModelNumber.text(r.probability), ModelNumber.text(r.score), r.bestLead, ModelNumber.text(r.bestValue), ModelNumber.text(r.mean), r.tier]
                    : [r.account, String(r.leads), String(r.disqualifiedLeads), r.score.isNaN ? "" : ModelNumber.text(r.score), r.bestLead,
                        r.bestValue.isNaN ? "" : ModelNumber.text(r.bestValue), r.mean.isNaN ? "" : ModelNumber.text(r.mean), r.tier])
        }
    }
}

/// The account column of a file, found in its header.
struct AccountColumn {
    let index: Int

    init(_ options: AccountOptions, header: [String], file: String) throws(InputError) {
        guard let i = header.firstIndex(of: options.column) else {
            throw InputError(
                .missingColumn, at: InputLocation(file: file, line: 1, column: options.column), "the file has no account column \"\(options.column)\".",
                remedy: CSVDialect.oneColumnHint(header: header)
                    ?? "Name the column that holds each lead's account or company (such as an account id) with \(OptionKey.accountColumn.mention).")
        }
        index = i
    }

    /// The current record's account: trimmed, nil when missing.
    func account(_ reader: CSVReader, parser: ValueParser) -> String? {
        parser.present(reader.field(index))
    }
}

extension AccountRollup {
    /// Rolls up `leads` and writes the account file to `path`: one place
    /// for `score` with a model and with rules. Returns the accounts
    /// written and the note on leads without an account, if any.
    static func write(
        _ leads: AccountLeads, to path: String, inputs: [String], model tiers: TierScheme?, map: ProbabilityMap = .identity,
        rules: (RuleSet, PointsRollup)?
    ) throws(InputError) -> (accounts: Int, note: String?) {
        let rows = rules.map { accounts(leads, rules: $0.0, points: $0.1) } ?? accounts(leads, model: tiers ?? .standard, map: map)
        let output = try AtomicOutput(path: path, inputs: inputs)
        write(rows, isModel: rules == nil, to: output)
        try output.commit()
        let missing = leads.accounts.filter { $0 == nil }.count
        return (rows.count, missing == 0 ? nil : "\(ModelNumber.grouped(missing)) leads have no account and are not in the account file.")
    }
}
