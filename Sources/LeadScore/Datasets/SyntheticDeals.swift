import Foundation

/// A deterministic generator of a realistic B2B CRM export of deals, one row
/// per deal, whose outcome follows a known logistic model.
///
/// The bundled dataset `datasets/b2b-deals.csv` is
/// `SyntheticDeals(rows: 20000, seed: 20261123)`; the benchmarks use the
/// same generator at millions of rows. `datasets/README.md` is the data
/// dictionary and lists the true model (`trueIntercept`, `trueEffects`).
///
/// How a row is made: its account (company), drawn from a pool of about
/// rows / 2.5 accounts with a few large accounts and many small ones
/// (`account(forRow:)`); the account's firmographics (country, industry,
/// company size, which shapes the job level), name and hidden effect on the
/// odds; a persona (about 5% of leads are students); the contact (job
/// level, email domain, lead source), a latent
/// engagement, normal around a source- and role-dependent mean, that drives
/// the activity counts and the demo request, and finally the outcome. The
/// outcome of a closed deal is Bernoulli(σ(η)) with η a linear function of
/// the exported columns (see `trueEffects`) plus the account's effect, a
/// normal draw with standard deviation `accountEffect` shared by every
/// contact of the account and never exported. With `accountEffect` 0 a
/// logistic regression on the export is correctly specified; with it, the
/// contacts of one account convert together, and a model that does not
/// know the account estimates coefficients closer to 0 than the true ones
/// (`marginalShrinkage`). Open deals (a share
/// `openFraction`, concentrated among the most recent deals) get an open
/// stage instead of an outcome.
///
/// Regions (`regions`, off by default): a last column "Region", the sales
/// region of the account's country (`regionOfCountry`), and a truth that
/// differs in one region: the deals of `differingRegion` follow the true
/// model plus `regionDifferences`, every other region the true model
/// exactly. Region is a function of Country and takes no random draw, so
/// a file made with regions is the file made without them plus the Region
/// column, except for the outcomes of deals in the differing region.
///
/// Reproducibility: every random draw comes from `SeededGenerator`
/// (`uniform()`, `index(below:)`); normal, Poisson, exponential and
/// binomial variates are derived here. Row `i` has its own generator,
/// seeded by a hash of (`seed`, `i`), so a row does not depend on the rows
/// before it and the rows could be made in parallel. Rows are in creation
/// order: row `i` is created in the `i`-th of `rows` equal slices of the
/// creation-date distribution, so Deal IDs increase with Created Date. The
/// same (rows, seed, openFraction, accountEffect, regions) gives the same
/// rows on every platform, up to the last-bit rounding of the C library's
/// exp/log/cos, which can change a row only if a uniform draw falls within
/// 10⁻¹⁶ of a threshold.
public struct SyntheticDeals: Sendable {
    public let rows: Int
    public let seed: UInt64
    public let openFraction: Double
    /// Standard deviation of the accounts' effect on the log-odds.
    public let accountEffect: Double
    /// The size of the pool accounts are drawn from: about rows / 2.5.
    public let accountPool: Int
    /// Whether rows carry a last column "Region" and the deals of
    /// `differingRegion` follow the true model plus `regionDifferences`.
    public let regions: Bool
    /// The shape of the export: LeadScore's columns, or a HubSpot or
    /// Salesforce export of the same deals (`SyntheticDeals+Styles.swift`).
    public let style: Style

    /// The bundled data's account effect.
    public static let defaultAccountEffect = 0.4

    /// Hash key of the per-row generators, derived from `seed`.
    let rowKey: UInt64
    /// The share of the open probability concentrated on the most recent
    /// `recentShare` of rows (the rest is spread evenly), the largest that
    /// keeps every row's open probability at most 1.
    let openRecentMix: Double

    public init(
        rows: Int, seed: UInt64, openFraction: Double = 0.03, accountEffect: Double = SyntheticDeals.defaultAccountEffect,
        regions: Bool = false, style: Style = .plain
    ) {
        precondition(rows >= 0, "rows must not be negative")
        precondition(openFraction >= 0 && openFraction <= 1, "openFraction must be in [0, 1]")
        precondition(accountEffect >= 0 && accountEffect.isFinite, "accountEffect must be at least 0")
        self.rows = rows
        self.seed = seed
        self.openFraction = openFraction
        self.accountEffect = accountEffect
        self.regions = regions
        self.style = style
        accountPool = max(1, Int((Double(rows) / 2.5).rounded()))
        var g = SeededGenerator(seed: seed)
        rowKey = g.next()
        // p_open(q) = f·((1 − a) + a·h(q)) with h = 1/w on the last w of the
        // rows, 0 before: its mean over q is f for every a, and its largest
        // value f·(1 − a + a/w) is at most 1 when a ≤ (1/f − 1)/(1/w − 1).
        let w = Self.recentShare
        openRecentMix = openFraction > 0 ? min(1, (1 / openFraction - 1) / (1 / w - 1)) : 1
    }

    public static let header: [String] = [
        "Deal ID", "Account ID", "Company Name", "Created Date", "Country", "Industry", "Company Size", "Job Level",
        "Email Domain Type", "Lead Source", "Pricing Page Visits", "Email Clicks", "Webinars Attended",
        "Website Sessions", "Days Since Last Activity", "Demo Requested", "Is Student", "Competitor",
        "Unsubscribed", "Stage",
    ]

    /// The last column of a file made with `regions`.
    public static let regionColumn = "Region"

    /// The columns `generate` writes: the style's (`header`, for the
    /// plain style), then `regionColumn` with `regions`.
    public var columns: [String] { Self.header(style) + (regions ? [Self.regionColumn] : []) }

    /// Calls `emit` once per row, in order, with the row's fields as strings
    /// exactly as they appear in the CSV (empty string = missing), in the
    /// order of `columns`. The deals do not depend on the style. Deterministic in (rows, seed, openFraction,
    /// accountEffect, regions). Streams: memory does not grow with rows.
    public func generate(_ emit: ([String]) throws -> Void) rethrows {
        let t = Self.tables
        var fields = [String](repeating: "", count: Self.header.count + (regions ? 1 : 0))
        var styled = [String](repeating: "", count: columns.count)
        for i in 0..<rows {
            let r = row(i, tables: t)
            format(r, tables: t, into: &fields)
            if style == .plain {
                try emit(fields)
            } else {
                self.styled(r, plain: fields, into: &styled)
                try emit(styled)
            }
        }
    }

    // MARK: - Levels

    /// The reference (most frequent) level of each categorical column is
    /// listed first.
    static let countries = [
        "United States", "United Kingdom", "Germany", "Canada", "India", "France", "Australia", "Netherlands",
    ]
    static let countryWeights: [Double] = [46.7, 11.5, 9.0, 8.0, 7.0, 6.0, 6.0, 5.0]
    /// Each 0.04–0.07% of rows (0.79% together): fewer than 30 rows
    /// (LeadScore's default minimum level count) each in a 20,000-row file,
    /// so the model pools them into "Country = (other)". Their true effect
    /// is 0.
    public static let rareCountries = [
        "Brazil", "Mexico", "Spain", "Italy", "Sweden", "Switzerland", "Ireland", "Singapore", "Japan",
        "South Africa", "Poland", "Belgium", "Denmark", "New Zealand", "Israel",
    ]
    static let rareCountryWeights: [Double] = [
        0.07, 0.07, 0.06, 0.06, 0.06, 0.06, 0.05, 0.05, 0.05, 0.05, 0.05, 0.04, 0.04, 0.04, 0.04,
    ]
    /// The sales region of each country (`countries` and `rareCountries`),
    /// written in the Region column with `regions`. Shares of the rows:
    /// North America about 55%, EMEA 32%, APAC 13% and LATAM 0.14%, a
    /// segment too small for a model of its own.
    public static let regionOfCountry: [String: String] = [
        "United States": "North America", "Canada": "North America",
        "United Kingdom": "EMEA", "Germany": "EMEA", "France": "EMEA", "Netherlands": "EMEA", "Spain": "EMEA",
        "Italy": "EMEA", "Sweden": "EMEA", "Switzerland": "EMEA", "Ireland": "EMEA", "Poland": "EMEA",
        "Belgium": "EMEA", "Denmark": "EMEA", "Israel": "EMEA", "South Africa": "EMEA",
        "India": "APAC", "Australia": "APAC", "Singapore": "APAC", "Japan": "APAC", "New Zealand": "APAC",
        "Brazil": "LATAM", "Mexico": "LATAM",
    ]

    static let industries = [
        "Software", "Financial Services", "Healthcare", "Manufacturing", "Retail", "Education", "Government",
    ]
    static let industryWeights: [Double] = [27, 17, 14, 15, 11, 8, 8]
    static let industryMissing = 0.06
    static let educationIndustry = 5

    static let sizes = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"]
    static let sizeReference = 2
    /// Company size weights by industry (rows in `industries` order, then
    /// industry missing): software and retail skew small, government and
    /// financial services large.
    static let sizeWeightsByIndustry: [[Double]] = [
        [16, 25, 30, 17, 8, 4],
        [6, 14, 24, 24, 17, 15],
        [8, 18, 28, 24, 13, 9],
        [7, 19, 31, 24, 12, 7],
        [14, 24, 28, 19, 9, 6],
        [6, 16, 30, 28, 13, 7],
        [3, 10, 22, 27, 20, 18],
        [20, 26, 27, 15, 8, 4],
    ]
    static let sizeMissing = 0.04

    static let jobLevels = ["Manager", "C-Level", "VP", "Director", "Individual Contributor", "Student"]
    enum Job { static let manager = 0, cLevel = 1, vp = 2, director = 3, ic = 4, student = 5 }
    /// Job level weights of a non-student lead; "Student" here is a
    /// mislabelled professional. C-Level is more common in small companies.
    static let jobWeights: [Double] = [34, 8, 10, 18, 28, 0.3]
    static let cLevelBySize: [Double] = [3.0, 1.8, 1.0, 0.8, 0.6, 0.4, 1.0]

    static let emailTypes = ["Business", "Free", "Education"]
    enum Email { static let business = 0, free = 1, education = 2 }

    static let sources = [
        "Organic Search", "Paid Search", "Referral", "Event", "Content Download", "Cold Outbound", "Partner",
    ]
    enum Source { static let organic = 0, paid = 1, referral = 2, event = 3, content = 4, cold = 5, partner = 6 }
    static let sourceWeights: [Double] = [27, 17, 10, 10, 14, 13, 9]
    static let studentSourceWeights: [Double] = [35, 10, 3, 10, 40, 0, 2]
    /// Mean shift of the latent engagement by lead source and by job level.
    static let sourceEngagement: [Double] = [0, -0.1, 0.3, 0.35, 0.05, -0.5, 0.2]
    static let jobEngagement: [Double] = [0.1, -0.1, 0, 0.1, 0, 0.1]

    static let openStages = ["Discovery", "Proposal", "Negotiation"]
    static let openStageWeights: [Double] = [45, 35, 20]
    /// Open deals are concentrated on this most recent share of the rows.
    static let recentShare = 0.15

    static let studentPersona = 0.05

    // MARK: - Dates

    /// 2024-07-01 ... 2026-06-30: two years ending 2026-06-30.
    static let lastDay = 20634  // 2026-06-30, days since 1970-01-01
    static let dayCount = 730
    static var firstDay: Int { lastDay - dayCount + 1 }

    // MARK: - Tables

    /// Everything the hot loop reads, built once: cumulative weights,
    /// coefficients indexed by level, formatted dates and small integers.
    struct Tables: Sendable {
        var country: [Double]  // cumulative, over countries + rareCountries
        var countryNames: [String]
        var countryEffect: [Double]
        /// By country: its region's name, and whether the region is
        /// `differingRegion`.
        var countryRegion: [String]
        var countryDiffers: [Bool]
        var industry: [Double]
        var industryEffect: [Double]  // last: missing
        var sizeByIndustry: [[Double]]  // cumulative
        var sizeEffect: [Double]  // last: missing
        var jobBySize: [[Double]]  // cumulative, by size (last: missing)
        var jobEffect: [Double]
        var emailEffect: [Double]
        var source: [Double]
        var studentSource: [Double]
        var sourceEffect: [Double]
        var openStage: [Double]
        /// Cumulative creation weight of each day, from `firstDay`.
        var dayCumulative: [Double]
        var dates: [String]
        var small: [String]
        // Numeric and boolean coefficients.
        var pricing, clicks, webinars, sessions, sessionsMissing, daysSince: Double
        var demo, isStudent, competitor, unsubscribed: Double
        var created: Double
        /// `regionDifferences`, by feature: Lead Source by level (0 for
        /// the reference and any level not listed), then the numeric and
        /// boolean ones (0 when not listed).
        var regionSource: [Double]
        var regionPricing, regionDemo: Double
    }

    static let tables: Tables = {
        func cumulative(_ w: [Double]) -> [Double] {
            let total = w.reduce(0, +)
            var s = 0.0
            var c = w.map { s += $0; return s / total }
            c[c.count - 1] = 1
            return c
        }
        /// A categorical column's coefficients by level; the first level is
        /// the reference. Every other level must be listed in trueEffects.
        func effects(_ column: String, _ levels: [String]) -> [Double] {
            levels.enumerated().map { i, level in
                if i == 0 { return 0 }
                guard let e = trueEffects.first(where: { $0.feature == "\(column) = \(level)" }) else {
                    preconditionFailure("no true effect for \(column) = \(level)")
                }
                return e.coefficient
            }
        }
        func coefficient(_ feature: String) -> Double {
            guard let e = trueEffects.first(where: { $0.feature == feature }) else {
                preconditionFailure("no true effect for \(feature)")
            }
            return e.coefficient
        }
        let other = coefficient("Country = (other)")
        let countryNames = countries + rareCountries
        let countryRegion = countryNames.map { country in
            guard let region = regionOfCountry[country] else { preconditionFailure("no region for \(country)") }
            return region
        }
        // The region's differences, each read from the row in `row(_:tables:)`.
        let regionSource = sources.map { regionDifference(of: "Lead Source = \($0)") }
        for e in regionDifferences {
            precondition(
                e.feature == "Pricing Page Visits" || e.feature == "Demo Requested"
                    || sources.dropFirst().contains(where: { e.feature == "Lead Source = \($0)" }),
                "the generator does not apply the region difference \(e.feature)")
        }
        var sizeEffect = [Double](repeating: 0, count: sizes.count + 1)
        for (i, s) in sizes.enumerated() where i != sizeReference { sizeEffect[i] = coefficient("Company Size = \(s)") }
        sizeEffect[sizes.count] = coefficient("Company Size = (missing)")

        // Volume grows by 60% over the two years; weekends are quiet and
        // the second half of December slow.
        var dayWeights: [Double] = []
        var dates: [String] = []
        for k in 0..<dayCount {
            let day = firstDay + k
            let weekday = (day + 3) % 7  // 1970-01-01 was a Thursday; 0 = Monday
            let (_, month, dom) = civilFromDays(day)
            var w = 1 + 0.6 * Double(k) / Double(dayCount - 1)
            if weekday == 5 { w *= 0.3 } else if weekday == 6 { w *= 0.25 }
            if month == 12 && dom >= 20 { w *= 0.5 }
            dayWeights.append(w)
            dates.append(isoDate(day))
        }

        return Tables(
            country: cumulative(countryWeights + rareCountryWeights),
            countryNames: countryNames,
            countryEffect: effects("Country", countries) + rareCountries.map { _ in other },
            countryRegion: countryRegion,
            countryDiffers: countryRegion.map { $0 == differingRegion },
            industry: cumulative(industryWeights),
            industryEffect: effects("Industry", industries) + [coefficient("Industry = (missing)")],
            sizeByIndustry: sizeWeightsByIndustry.map(cumulative),
            sizeEffect: sizeEffect,
            jobBySize: cLevelBySize.map { f in
                var w = jobWeights
                w[Job.cLevel] *= f
                return cumulative(w)
            },
            jobEffect: effects("Job Level", jobLevels),
            emailEffect: effects("Email Domain Type", emailTypes),
            source: cumulative(sourceWeights),
            studentSource: cumulative(studentSourceWeights),
            sourceEffect: effects("Lead Source", sources),
            openStage: cumulative(openStageWeights),
            dayCumulative: cumulative(dayWeights),
            dates: dates,
            small: (0..<1000).map { decimal($0) },
            pricing: coefficient("Pricing Page Visits"), clicks: coefficient("Email Clicks"),
            webinars: coefficient("Webinars Attended"), sessions: coefficient("Website Sessions"),
            sessionsMissing: coefficient("Website Sessions (missing)"),
            daysSince: coefficient("Days Since Last Activity"),
            demo: coefficient("Demo Requested"), isStudent: coefficient("Is Student"),
            competitor: coefficient("Competitor"), unsubscribed: coefficient("Unsubscribed"),
            created: coefficient("Created Date (days ago)"),
            regionSource: regionSource, regionPricing: regionDifference(of: "Pricing Page Visits"),
            regionDemo: regionDifference(of: "Demo Requested"))
    }()

    // MARK: - One row

    /// A row before formatting. Level fields index the level lists; a
    /// missing level is the list's count; a missing count is -1.
    struct Row {
        var index = 0
        var day = 0
        var country = 0
        var industry = 0
        var size = 0
        var job = 0
        var email = 0
        var source = 0
        var pricingVisits = 0
        var emailClicks = 0
        var webinars = 0
        var sessions = 0
        var daysSinceActivity = 0
        var demo = false
        var isStudent = false
        var competitor = false
        var unsubscribed = false
        /// The true log-odds of Closed Won.
        var eta = 0.0
        var won = false
        /// Index into `openStages`, or -1 for a closed deal.
        var openStage = -1
        var account = 0
        var company = ""
    }

    /// An account: its firmographics, name and hidden effect on the odds.
    /// Account k is the same company in every file made by this generator
    /// (its generator is seeded by k alone), so a file of new leads meets
    /// accounts of the history again.
    struct Account {
        var country = 0
        var industry = 0
        var size = 0
        var name = ""
        /// A standard normal draw; the effect is `accountEffect` times it.
        var z = 0.0
    }

    /// The account of row `i`: k = ⌊K·u^1.5⌋ for a uniform u and the pool K,
    /// so account k has a share of about (2/3)·K^(−2/3)·k^(−1/3) of the rows:
    /// a few accounts of dozens of contacts, most of one to three.
    static func account(u: Double, pool: Int) -> Int {
        min(pool - 1, Int(Double(pool) * pow(u, 1.5)))
    }

    /// Account k's generator: SplitMix64 seeded by a hash of k alone.
    static func account(_ k: Int, tables t: Tables) -> Account {
        var h = SeededGenerator(seed: 0xA5C0_11D7_2026_1207 ^ (UInt64(k) &* 0x9E37_79B9_7F4A_7C15))
        var g = SeededGenerator(seed: h.next())
        var a = Account()
        a.country = pick(t.country, g.uniform())
        a.industry = g.uniform() < industryMissing ? industries.count : pick(t.industry, g.uniform())
        a.size = g.uniform() < sizeMissing ? sizes.count : pick(t.sizeByIndustry[a.industry], g.uniform())
        a.z = normal(&g)
        a.name = companyName(&g, country: a.country)
        return a
    }

    /// The generator of row `i`: SplitMix64 seeded with a hash of the row
    /// key and `i` (the SplitMix64 output function is a bijection, so
    /// distinct rows get distinct seeds).
    func rowGenerator(_ i: Int) -> SeededGenerator {
        var h = SeededGenerator(seed: rowKey ^ (UInt64(i) &* 0xD1B5_4A32_D192_ED03))
        return SeededGenerator(seed: h.next())
    }

    func row(_ i: Int) -> Row { row(i, tables: Self.tables) }

    func row(_ i: Int, tables t: Tables) -> Row {
        var g = rowGenerator(i)
        var r = Row()
        r.index = i

        // Creation date: the u-quantile of this row's slice of the date
        // distribution, so dates never decrease with the row index.
        let q = (Double(i) + g.uniform()) / Double(rows)
        r.day = Self.firstDay + Self.pick(t.dayCumulative, q)
        let daysOld = Self.lastDay - r.day

        // The account and its firmographics.
        r.account = Self.account(u: g.uniform(), pool: accountPool)
        let account = Self.account(r.account, tables: t)
        r.country = account.country
        r.industry = account.industry
        r.size = account.size
        r.company = account.name

        // Contact.
        let student = g.uniform() < Self.studentPersona
        if student {
            r.job = g.uniform() < 0.7 ? Job.student : Job.ic
            let u = g.uniform()
            r.email = u < 0.55 ? Email.education : u < 0.95 ? Email.free : Email.business
            let p = 0.55 + (r.job == Job.student ? 0.2 : 0) + (r.email == Email.education ? 0.15 : 0)
            r.isStudent = g.uniform() < p
            r.source = Self.pick(t.studentSource, g.uniform())
        } else {
            r.job = Self.pick(t.jobBySize[r.size], g.uniform())
            let u = g.uniform()
            // Staff of schools and universities; sole traders use free mail.
            let education = r.industry == Self.educationIndustry ? 0.45 : 0.03
            let free = r.size == 0 ? 0.35 : 0.19
            r.email = u < education ? Email.education : u < education + free ? Email.free : Email.business
            r.isStudent = g.uniform() < 0.008
            r.source = Self.pick(t.source, g.uniform())
        }

        // Engagement: latent, never exported, drives the activity counts.
        let z = Self.normal(&g) + Self.sourceEngagement[r.source] + Self.jobEngagement[r.job]
        r.unsubscribed =
            g.uniform() < (r.source == Source.cold ? 0.11 : 0.037) * (r.email == Email.free ? 1.3 : 1.0)
        r.competitor = g.uniform() < 0.015
        r.pricingVisits = Self.poisson(&g, mean: exp(-0.5 + 0.65 * z))
        r.emailClicks = Self.poisson(
            &g, mean: (r.unsubscribed ? 0.25 : 1) * exp(0.6 + 0.45 * z + 0.3 * Self.normal(&g)))
        let webinarP = Self.sigmoid(-2.0 + 0.8 * z + (r.source == Source.event ? 0.8 : 0))
        r.webinars = Self.binomial(&g, trials: 4, p: webinarP)
        let blocked = g.uniform() < (r.source == Source.cold ? 0.10 : 0.042)
        let sessions = r.pricingVisits + Self.poisson(&g, mean: exp(1.2 + 0.5 * z + 0.4 * Self.normal(&g)))
        r.sessions = blocked ? -1 : sessions
        // Exponential days since the last touch, shorter for engaged leads;
        // never before the deal was created.
        let meanDays = 25 * exp(-0.35 * z) * (r.unsubscribed ? 1.5 : 1)
        r.daysSinceActivity = min(daysOld, Int(Self.exponential(&g, mean: meanDays)))
        let demoLogit =
            -1.9 + 0.5 * Double(min(r.pricingVisits, 6)) + 0.35 * z
            + (r.job == Job.cLevel || r.job == Job.vp ? 0.2 : 0) + (r.job == Job.student ? -1.0 : 0)
            + (r.source == Source.event ? 0.3 : 0)
        r.demo = g.uniform() < Self.sigmoid(demoLogit)

        // The outcome: the true model, on the exported values only.
        var eta = Self.trueIntercept
        eta += t.countryEffect[r.country] + t.industryEffect[r.industry] + t.sizeEffect[r.size]
        eta += t.jobEffect[r.job] + t.emailEffect[r.email] + t.sourceEffect[r.source]
        eta += t.pricing * Double(r.pricingVisits) + t.clicks * Double(r.emailClicks)
        eta += t.webinars * Double(r.webinars) + t.daysSince * Double(r.daysSinceActivity)
        eta += r.sessions < 0 ? t.sessionsMissing : t.sessions * Double(r.sessions)
        eta += t.created * Double(daysOld)
        if r.demo { eta += t.demo }
        if r.isStudent { eta += t.isStudent }
        if r.competitor { eta += t.competitor }
        if r.unsubscribed { eta += t.unsubscribed }
        // The differing region's own effects: no draw, so only the outcome
        // of its deals depends on `regions`.
        if regions && t.countryDiffers[r.country] {
            eta += t.regionSource[r.source] + t.regionPricing * Double(r.pricingVisits)
            if r.demo { eta += t.regionDemo }
        }
        eta += accountEffect * account.z
        r.eta = eta
        r.won = g.uniform() < Self.sigmoid(eta)

        // Open deals, mostly among the most recent rows.
        let w = Self.recentShare
        let recent = q >= 1 - w ? 1 / w : 0
        let pOpen = openFraction * ((1 - openRecentMix) + openRecentMix * recent)
        if g.uniform() < pOpen { r.openStage = Self.pick(t.openStage, g.uniform()) }

        return r
    }

    func format(_ r: Row, tables t: Tables, into f: inout [String]) {
        f[0] = Self.dealID(r.index + 1)
        f[1] = Self.accountID(r.account + 1)
        f[2] = r.company
        f[3] = t.dates[r.day - Self.firstDay]
        f[4] = t.countryNames[r.country]
        f[5] = r.industry < Self.industries.count ? Self.industries[r.industry] : ""
        f[6] = r.size < Self.sizes.count ? Self.sizes[r.size] : ""
        f[7] = Self.jobLevels[r.job]
        f[8] = Self.emailTypes[r.email]
        f[9] = Self.sources[r.source]
        f[10] = Self.count(r.pricingVisits, t)
        f[11] = Self.count(r.emailClicks, t)
        f[12] = Self.count(r.webinars, t)
        f[13] = r.sessions < 0 ? "" : Self.count(r.sessions, t)
        f[14] = Self.count(r.daysSinceActivity, t)
        f[15] = r.demo ? "Yes" : "No"
        f[16] = r.isStudent ? "TRUE" : "FALSE"
        f[17] = r.competitor ? "Y" : "N"
        f[18] = r.unsubscribed ? "true" : "false"
        f[19] = r.openStage >= 0 ? Self.openStages[r.openStage] : r.won ? "Closed Won" : "Closed Lost"
        if regions { f[20] = t.countryRegion[r.country] }
    }

    // MARK: - Distributions (from uniform draws only)

    /// The first index whose cumulative weight exceeds u (u in [0, 1)).
    @inline(__always)
    static func pick(_ cumulative: [Double], _ u: Double) -> Int {
        if cumulative.count <= 16 {
            var i = 0
            while i < cumulative.count - 1 && u >= cumulative[i] { i += 1 }
            return i
        }
        var lo = 0
        var hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if u < cumulative[mid] { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Standard normal by Box–Muller: √(−2 ln(1 − u₁)) · cos(2π u₂).
    @inline(__always)
    static func normal(_ g: inout SeededGenerator) -> Double {
        let u1 = g.uniform()
        let u2 = g.uniform()
        return (-2 * log(1 - u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Exponential with the given mean by inversion: −mean · ln(1 − u).
    @inline(__always)
    static func exponential(_ g: inout SeededGenerator, mean: Double) -> Double {
        -mean * log(1 - g.uniform())
    }

    /// Poisson by Knuth's multiplication method (multiply uniforms until
    /// the product falls to e^(−mean)); the mean is capped at 30, where
    /// the method is still exact and quick enough.
    @inline(__always)
    static func poisson(_ g: inout SeededGenerator, mean: Double) -> Int {
        let limit = exp(-min(mean, 30))
        var k = 0
        var p = g.uniform()
        while p > limit {
            k += 1
            p *= g.uniform()
        }
        return k
    }

    /// Binomial as a sum of Bernoulli trials.
    @inline(__always)
    static func binomial(_ g: inout SeededGenerator, trials: Int, p: Double) -> Int {
        var k = 0
        for _ in 0..<trials where g.uniform() < p { k += 1 }
        return k
    }

    @inline(__always)
    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    // MARK: - Formatting (no Foundation in the hot loop)

    @inline(__always)
    static func count(_ n: Int, _ t: Tables) -> String {
        n < t.small.count ? t.small[n] : decimal(n)
    }

    /// A non-negative integer in decimal, at least `width` digits (zero
    /// padded), after `prefix`.
    static func decimal(_ n: Int, width: Int = 1, prefix: StaticString = "") -> String {
        precondition(n >= 0)
        var digits = 1
        var m = n
        while m >= 10 { m /= 10; digits += 1 }
        let length = max(digits, width)
        let pre = prefix.utf8CodeUnitCount
        return String(unsafeUninitializedCapacity: pre + length) { buffer in
            let p = prefix.utf8Start
            for k in 0..<pre { buffer[k] = p[k] }
            var v = n
            var k = pre + length - 1
            while k >= pre {
                buffer[k] = UInt8(truncatingIfNeeded: 48 + v % 10)
                v /= 10
                k -= 1
            }
            return pre + length
        }
    }

    /// "D-0000001" for 1: at least seven digits.
    static func dealID(_ n: Int) -> String { decimal(n, width: 7, prefix: "D-") }
    static func accountID(_ n: Int) -> String { decimal(n, width: 6, prefix: "A-") }

    /// YYYY-MM-DD of a day number (days since 1970-01-01).
    static func isoDate(_ days: Int) -> String {
        let (y, m, d) = civilFromDays(days)
        return decimal(y, width: 4) + "-" + decimal(m, width: 2) + "-" + decimal(d, width: 2)
    }

    /// (year, month, day) of a day number, days since 1970-01-01 in the
    /// proleptic Gregorian calendar: Howard Hinnant's civil_from_days
    /// ("chrono-Compatible Low-Level Date Algorithms",
    /// https://howardhinnant.github.io/date_algorithms.html). Days are
    /// counted in 400-year eras of 146097 days starting on 0000-03-01, so
    /// that the leap day ends each year.
    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468  // days since 0000-03-01
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097  // day of era, [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365  // year of era, [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)  // day of year from March 1, [0, 365]
        let mp = (5 * doy + 2) / 153  // month from March, [0, 11]
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    // MARK: - Company names

    static let namePrefixes = [
        "Bright", "Nova", "Blue", "Apex", "Silver", "North", "Clear", "Iron", "Red", "Summit", "Quantum", "Green",
        "Star", "Pine", "Swift", "Stone", "Cloud", "Atlas", "Cedar", "Falcon", "Harbor", "Lumen", "Maple", "Orbit",
        "Prime", "River", "Sky", "Terra", "Vertex", "Zen", "Cobalt", "Crimson", "Golden", "Hyper", "Meridian", "Oak",
        "Polar", "Sage", "True", "Wild",
    ]
    static let nameStems = [
        "wave", "tech", "works", "soft", "logic", "labs", "point", "bridge", "core", "field", "gate", "line", "path",
        "scale", "sense", "stack", "stream", "ware", "wise", "forge", "leaf", "light", "mark", "mind", "nest", "peak",
        "shift", "spark", "view", "yard",
    ]
    static let nameNouns = [
        "Analytics", "Systems", "Solutions", "Logistics", "Health", "Capital", "Partners", "Foods", "Energy", "Media",
        "Robotics", "Consulting", "Retail", "Learning", "Labs", "Dynamics", "Networks", "Manufacturing", "Insurance",
        "Holdings",
    ]
    static let surnames = [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright", "Walker",
        "Müller", "Schmidt", "Schröder", "Weber", "Becker", "Dubois", "Lefèvre", "Moreau", "García", "Martínez",
        "O'Brien", "Murphy", "Kelly", "Chen", "Nguyen", "Singh", "Sharma", "Iyer", "de Vries", "Jansen", "Bakker",
        "Anderson", "Thompson", "Clarke", "Hughes", "Fischer", "Rossi", "Campbell", "Stewart",
    ]
    /// Legal-form suffixes by country (in `countries` order); rare
    /// countries use the last list.
    static let legalForms: [[String]] = [
        ["Inc", "LLC", "Corp", "Inc.", "Co."],
        ["Ltd", "Ltd", "PLC", "LLP"],
        ["GmbH", "GmbH", "AG", "KG"],
        ["Inc", "Ltd", "Corp"],
        ["Pvt Ltd", "Pvt Ltd", "Ltd"],
        ["SA", "SAS", "SARL"],
        ["Pty Ltd", "Pty Ltd", "Ltd"],
        ["B.V.", "B.V.", "N.V."],
        ["Ltd", "SA", "AG", "AB", "S.p.A."],
    ]

    static func companyName(_ g: inout SeededGenerator, country: Int) -> String {
        let forms = legalForms[min(country, legalForms.count - 1)]
        func legal(_ g: inout SeededGenerator) -> String {
            // Some exports write "Acme, Inc"; some omit the legal form.
            let u = g.uniform()
            if u < 0.15 { return "" }
            let form = forms[g.index(below: forms.count)]
            return u < 0.30 && form.hasPrefix("Inc") ? ", " + form : " " + form
        }
        let prefix = namePrefixes[g.index(below: namePrefixes.count)]
        let u = g.uniform()
        if u < 0.45 {
            return prefix + nameStems[g.index(below: nameStems.count)] + legal(&g)
        } else if u < 0.65 {
            return prefix + " " + nameNouns[g.index(below: nameNouns.count)] + legal(&g)
        } else if u < 0.77 {
            let a = surnames[g.index(below: surnames.count)]
            let b = surnames[g.index(below: surnames.count)]
            return a + ", " + b + " & Co"
        } else if u < 0.85 {
            let a = surnames[g.index(below: surnames.count)]
            let b = surnames[g.index(below: surnames.count)]
            return a + " & " + b + (g.uniform() < 0.5 ? " LLP" : " Associates")
        } else if u < 0.90 {
            return "The \"" + prefix + "\" Group"
        } else {
            return surnames[g.index(below: surnames.count)] + " " + nameNouns[g.index(below: nameNouns.count)]
                + legal(&g)
        }
    }
}
