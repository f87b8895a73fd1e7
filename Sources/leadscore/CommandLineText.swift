import LeadScore

extension OptionKey {
    /// The tool's flag for the option.
    var flag: String {
        switch self {
        case .target: "--target"
        case .positive: "--positive"
        case .negative: "--negative"
        case .ids, .idColumns: "--id"
        case .exclude: "--exclude"
        case .include: "--include"
        case .types: "--type"
        case .missingValues: "--missing"
        case .log1p: "--log1p"
        case .weight: "--weight"
        case .minCategoryCount: "--min-category-count"
        case .maxCategoryLevels: "--max-levels"
        case .asOf: "--as-of"
        case .l2: "--l2"
        case .classWeight: "--class-weight"
        case .holdout: "--holdout"
        case .seed: "--seed"
        case .timeColumn: "--time-column"
        case .testFrom: "--test-from"
        case .folds: "--folds"
        case .leakageThreshold: "--leakage-threshold"
        case .allowLeakage: "--allow-leakage"
        case .fit: "--fit"
        case .engagement: "--engagement"
        case .measuredOn: "--measured-on"
        case .validationPath: "--validation"
        case .holdoutOutputPath: "--holdout-output"
        case .trainingDate: "--training-date"
        case .memoryBudget: "--memory-budget"
        case .cacheDirectory: "--cache-dir"
        case .calibrationFraction: "--calibration-fraction"
        case .predictionsPath: "--predictions"
        case .model: "--model"
        case .rules: "--rules"
        case .data: "--data"
        case .allowEditedModel: "--allow-edited-model"
        case .pointsToDoubleOdds: "--double-odds"
        case .bootstrapResamples: "--bootstrap"
        case .tiers: "--tiers"
        case .thresholdTier: "--tier"
        case .arrivalRate: "--rate"
        case .accountColumn: "--account"
        case .exportedOn: "--exported-on"
        case .priorCorrection: "--no-prior-correction"
        case .populationRate: "--population-rate"
        case .calibrationMethod: "--method"
        case .segment: "--segment"
        case .segmentL2: "--segment-l2"
        case .minConversions: "--min-conversions"
        case .interactions: "--interaction"
        case .autoInteractions: "--interactions"
        case .precision: "--precision"
        case .dateFormats: "--date-format"
        case .amountFormats: "--amount-format"
        case .closedColumn: "--closed-column"
        case .spline: "--spline"
        case .splines: "--splines"
        case .monotone: "--monotone"
        case .penalty: "--penalty"
        case .l1Ratio: "--l1-ratio"
        case .cv: "--cv"
        case .cvMetric: "--cv-metric"
        case .cvRule: "--cv-rule"
        }
    }
}

/// Library text as the tool shows it: every option the library names by
/// key (`OptionKey.mention`, "`holdout`") written as its flag ("--holdout").
enum CommandLineText {
    static func render(_ text: String) -> String {
        guard text.contains("`") else { return text }
        var out = text
        for key in OptionKey.allCases where out.contains(key.mention) {
            out = out.replacingOccurrences(of: key.mention, with: key.flag)
        }
        return out
    }
}
