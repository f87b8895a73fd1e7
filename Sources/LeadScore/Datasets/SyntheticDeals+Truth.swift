/// One coefficient of the model that generated the outcome of
/// `SyntheticDeals`, named the way LeadScore names its features.
public struct TrueEffect: Sendable, Codable, Equatable {
    /// The feature name as LeadScore writes it: the column name for a
    /// numeric or boolean column ("Pricing Page Visits", "Demo Requested"),
    /// "Column = Level" for a categorical level ("Industry = Healthcare",
    /// "Industry = (missing)", "Country = (other)"), "Column (missing)" for a
    /// numeric column's missing indicator.
    public var feature: String
    /// The change in log-odds of Closed Won: per raw unit for a numeric
    /// column (per visit, per click, per day), for the true value of a
    /// boolean column, relative to the most frequent level for a category.
    public var coefficient: Double
    /// The unit or reference level, and why a coefficient is zero.
    public var note: String?

    public init(feature: String, coefficient: Double, note: String? = nil) {
        self.feature = feature
        self.coefficient = coefficient
        self.note = note
    }
}

extension SyntheticDeals {
    /// The intercept of the true model: the log-odds of Closed Won for a
    /// deal at every reference level with every count zero and every flag
    /// false. Chosen so that about 21% of closed deals are won.
    public static let trueIntercept: Double = -2.0

    /// How much closer to 0 than the true coefficients a model that does
    /// not know the account estimates them, for an account effect of
    /// standard deviation σ: averaging σ(η + σZ) over the account effect is
    /// close to σ(η / √(1 + c²σ²)) with c = 16√3 / (15π) (the logistic
    /// function as a scaled normal distribution function; Zeger, Liang and
    /// Albert, Biometrics 44 (1988) 1049–1060), so the fitted coefficients
    /// are about the true ones times 1 / √(1 + c²σ²): 0.973 for σ = 0.4.
    public static func marginalShrinkage(accountEffect sigma: Double) -> Double {
        let c = 16 * 3.0.squareRoot() / (15 * Double.pi)
        return 1 / (1 + c * c * sigma * sigma).squareRoot()
    }

    /// The true coefficients, in header order (then level order). The
    /// outcome of every closed deal is Bernoulli(σ(η)) with
    /// η = `trueIntercept` + Σ coefficient × feature value + the account's
    /// effect (`accountEffect` × a standard normal draw per account), and
    /// nothing else: no interactions, no dependence on the latent engagement
    /// that drives the activity counts, on the date or on the account's id
    /// and name. With `regions` there is one interaction, with the region:
    /// the deals of `differingRegion` add `regionDifferences` to η.
    ///
    /// Categorical levels not listed (the reference levels, and every rare
    /// country, whether the model pools it into "(other)" or keeps it) have
    /// coefficient 0; see `trueCoefficient(of:)`.
    public static let trueEffects: [TrueEffect] = [
        // Created Date: not in the true model. LeadScore encodes a date
        // column as days before the as-of date unless it is excluded.
        TrueEffect(feature: "Created Date (days ago)", coefficient: 0, note: "not in the true model (deliberate zero)"),

        TrueEffect(feature: "Country = United Kingdom", coefficient: -0.20, note: "vs. United States"),
        TrueEffect(feature: "Country = Germany", coefficient: -0.35, note: "vs. United States"),
        TrueEffect(feature: "Country = Canada", coefficient: 0.20, note: "vs. United States"),
        TrueEffect(feature: "Country = India", coefficient: -0.70, note: "vs. United States"),
        TrueEffect(feature: "Country = France", coefficient: -0.45, note: "vs. United States"),
        TrueEffect(feature: "Country = Australia", coefficient: 0.25, note: "vs. United States"),
        TrueEffect(feature: "Country = Netherlands", coefficient: 0.30, note: "vs. United States"),
        TrueEffect(
            feature: "Country = (other)", coefficient: 0,
            note: "vs. United States; each rare country has true effect 0 (deliberate zero)"),

        TrueEffect(feature: "Industry = Financial Services", coefficient: 0.40, note: "vs. Software"),
        TrueEffect(feature: "Industry = Healthcare", coefficient: 0.25, note: "vs. Software"),
        TrueEffect(feature: "Industry = Manufacturing", coefficient: -0.30, note: "vs. Software"),
        TrueEffect(feature: "Industry = Retail", coefficient: -0.50, note: "vs. Software"),
        TrueEffect(feature: "Industry = Education", coefficient: -0.65, note: "vs. Software"),
        TrueEffect(feature: "Industry = Government", coefficient: 0.30, note: "vs. Software"),
        TrueEffect(feature: "Industry = (missing)", coefficient: -0.40, note: "vs. Software"),

        TrueEffect(feature: "Company Size = 1-10", coefficient: -0.80, note: "vs. 51-200"),
        TrueEffect(feature: "Company Size = 11-50", coefficient: -0.40, note: "vs. 51-200"),
        TrueEffect(feature: "Company Size = 201-1000", coefficient: 0.30, note: "vs. 51-200"),
        TrueEffect(feature: "Company Size = 1001-5000", coefficient: 0.50, note: "vs. 51-200"),
        TrueEffect(feature: "Company Size = 5000+", coefficient: 0.20, note: "vs. 51-200"),
        TrueEffect(feature: "Company Size = (missing)", coefficient: -0.30, note: "vs. 51-200"),

        TrueEffect(feature: "Job Level = C-Level", coefficient: 0.90, note: "vs. Manager"),
        TrueEffect(feature: "Job Level = VP", coefficient: 0.70, note: "vs. Manager"),
        TrueEffect(feature: "Job Level = Director", coefficient: 0.40, note: "vs. Manager"),
        TrueEffect(feature: "Job Level = Individual Contributor", coefficient: -0.30, note: "vs. Manager"),
        TrueEffect(feature: "Job Level = Student", coefficient: -0.80, note: "vs. Manager"),

        TrueEffect(feature: "Email Domain Type = Free", coefficient: -0.60, note: "vs. Business"),
        TrueEffect(feature: "Email Domain Type = Education", coefficient: -0.90, note: "vs. Business"),

        TrueEffect(feature: "Lead Source = Paid Search", coefficient: -0.25, note: "vs. Organic Search"),
        TrueEffect(feature: "Lead Source = Referral", coefficient: 0.70, note: "vs. Organic Search"),
        TrueEffect(feature: "Lead Source = Event", coefficient: 0.45, note: "vs. Organic Search"),
        TrueEffect(feature: "Lead Source = Content Download", coefficient: -0.35, note: "vs. Organic Search"),
        TrueEffect(feature: "Lead Source = Cold Outbound", coefficient: -0.60, note: "vs. Organic Search"),
        TrueEffect(feature: "Lead Source = Partner", coefficient: 0.55, note: "vs. Organic Search"),

        TrueEffect(feature: "Pricing Page Visits", coefficient: 0.35, note: "per visit"),
        TrueEffect(feature: "Email Clicks", coefficient: 0.08, note: "per click"),
        TrueEffect(feature: "Webinars Attended", coefficient: 0.30, note: "per webinar"),
        TrueEffect(
            feature: "Website Sessions", coefficient: 0,
            note: "per session; not in the true model (deliberate zero), though correlated with the counts that are"),
        TrueEffect(feature: "Website Sessions (missing)", coefficient: 0, note: "tracking blocked; deliberate zero"),
        TrueEffect(feature: "Days Since Last Activity", coefficient: -0.02, note: "per day"),

        TrueEffect(feature: "Demo Requested", coefficient: 1.60, note: "Yes vs. No"),
        TrueEffect(feature: "Is Student", coefficient: -1.80, note: "TRUE vs. FALSE"),
        TrueEffect(feature: "Competitor", coefficient: -2.50, note: "Y vs. N"),
        TrueEffect(feature: "Unsubscribed", coefficient: -1.00, note: "true vs. false"),
    ]

    /// The region whose deals follow a truth of their own when `regions` is
    /// on (`regionOfCountry`: India, Australia, Singapore, Japan and New
    /// Zealand, about 13% of the rows).
    public static let differingRegion = "APAC"

    /// What the deals of `differingRegion` add to the true coefficients when
    /// `regions` is on; every other region follows `trueEffects` exactly.
    /// For such a deal η = `trueIntercept` + Σ (coefficient + difference) ×
    /// feature value + the account's effect, with the difference 0 for a
    /// feature not listed: the region changes three slopes and nothing
    /// else, not the intercept (a shift of the intercept would be
    /// indistinguishable from the Country effects of the region's
    /// countries).
    ///
    /// Sized to be recovered clearly by a logistic regression on the
    /// region's deals alone: at 60,000 rows with `accountEffect` 0 (about
    /// 7,800 closed APAC deals, 1,300 of them from Paid Search) the
    /// region's estimates have standard errors of about 0.04 per visit,
    /// 0.08 for Demo Requested and 0.10 for Paid Search, so each
    /// difference is about seven of them or more.
    public static let regionDifferences: [TrueEffect] = [
        TrueEffect(feature: "Lead Source = Paid Search", coefficient: 0.75, note: "vs. Organic Search; APAC's is +0.50"),
        TrueEffect(feature: "Pricing Page Visits", coefficient: 0.30, note: "per visit; APAC's is +0.65"),
        TrueEffect(feature: "Demo Requested", coefficient: -0.70, note: "Yes vs. No; APAC's is +0.90"),
    ]

    /// The true coefficient of a feature for the deals of `region` in a
    /// file made with `regions`: `trueCoefficient(of:)` plus the feature's
    /// entry in `regionDifferences` when `region` is `differingRegion`; nil
    /// for a name that is not a feature of this dataset.
    public static func trueCoefficient(of feature: String, inRegion region: String) -> Double? {
        guard let global = trueCoefficient(of: feature) else { return nil }
        guard region == differingRegion else { return global }
        return global + regionDifference(of: feature)
    }

    /// A feature's entry in `regionDifferences`, 0 for a feature not listed.
    public static func regionDifference(of feature: String) -> Double {
        regionDifferences.first(where: { $0.feature == feature })?.coefficient ?? 0
    }

    /// The true coefficient of a feature named as LeadScore names it: the
    /// listed value; 0 for a reference level or a rare country kept as its
    /// own level ("Country = Brazil"); nil for a name that is not a feature
    /// of this dataset.
    public static func trueCoefficient(of feature: String) -> Double? {
        if let e = trueEffects.first(where: { $0.feature == feature }) { return e.coefficient }
        let references = [
            "Country = United States", "Industry = Software", "Company Size = 51-200", "Job Level = Manager",
            "Email Domain Type = Business", "Lead Source = Organic Search",
        ]
        if references.contains(feature) { return 0 }
        let prefix = "Country = "
        if feature.hasPrefix(prefix), rareCountries.contains(String(feature.dropFirst(prefix.count))) { return 0 }
        return nil
    }
}
