/// What a feature column says about a lead: the group it is assigned to
/// in training (`TrainingConfiguration.fit`, `.engagement`), which splits a
/// model's log-odds into a fit and an engagement part
/// (`Model/FitEngagement.swift`).
public enum FeatureGroup: String, Codable, Sendable, Equatable, CaseIterable {
    /// Who the lead is: firmographics (company size, industry, country),
    /// title and seniority, email domain type, lead source.
    case fit
    /// What the lead did: visits, email clicks, webinars, demo requests,
    /// recency of activity, unsubscribing.
    case engagement
}

extension FeatureGroup {
    /// The group of a pair term (`PairEncoder`) over columns of groups `a`
    /// and `b`: theirs when they share one; engagement when they do not,
    /// since the term moves with what the lead did, and the fit part is to
    /// depend on who the lead is alone.
    public static func ofPair(_ a: FeatureGroup, _ b: FeatureGroup) -> FeatureGroup {
        a == b ? a : .engagement
    }
}
