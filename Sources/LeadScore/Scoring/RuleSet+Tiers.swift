import Foundation

// A tiers file applied to a rules file: the points scheme `thresholds`
// writes becomes the rules' own tiers, so a rule scorer decides a tier
// in one place (`RuleSet.tier(for:)`).

extension RuleSet {
    /// The rules with their tiers replaced by a tiers file cut on points
    /// (`TierScheme.Measure.points`, as `thresholds` writes for a rules
    /// file): tier i takes totals of at least its cut, the last the rest;
    /// the disqualify entries stay and still override. A scheme on another
    /// measure is refused: probabilities and 0–100 scores are not points.
    public func replacingTiers(with scheme: TierScheme, file: String) throws(InputError) -> RuleSet {
        guard scheme.measure == .points else {
            throw InputError(
                .badConfiguration, at: InputLocation(file: file),
                "these tiers cut on the \(scheme.measure == .probability ? "probability" : "0–100 score"), and a rules file gives points.",
                remedy: "Give a tiers file with \"measure\": \"points\" (as `leadscore thresholds` writes for a rules file), or leave \(OptionKey.tiers.mention) out to use the rules file's own tiers.")
        }
        var copy = self
        copy.tiers = scheme.labels.indices.map { i in
            i < scheme.valueCuts.count ? RuleTier(scheme.labels[i], atLeast: scheme.valueCuts[i]) : RuleTier(scheme.labels[i])
        }
        return copy
    }
}
