/// An option of LeadScore, by the name the library gives it: a key of the
/// training configuration (`TrainingConfiguration`, the keys of its JSON
/// file) or a field of a request (`TrainingRequest`, `ComparisonRequest`,
/// `ScoringOptions`, the points export).
///
/// Text the library writes for people (an error's remedy, a training
/// notice) names an option by its key in backquotes, `mention`: "hold out a
/// different share (`holdout`)". A front end renders the mentions its own
/// way; the command-line tool writes its flag (`--holdout`).
public enum OptionKey: String, CaseIterable, Sendable {
    // The training configuration.
    case target, positive, negative, ids, exclude, include, types, missingValues, log1p, weight
    case minCategoryCount, maxCategoryLevels, asOf, l2, classWeight, holdout, seed
    case timeColumn, testFrom, folds, leakageThreshold, allowLeakage
    case fit, engagement
    /// The prior correction of the intercept and the population's rate of
    /// won deals (`TrainingConfiguration.priorCorrection`, `.populationRate`).
    case priorCorrection, populationRate
    /// Days-since columns and the day each was measured
    /// (`TrainingConfiguration.measuredOn`, `RuleSet.measuredOn`).
    case measuredOn
    /// Segment models (`TrainingConfiguration.segment`, `.segmentL2`,
    /// `.minConversions`).
    case segment, segmentL2, minConversions
    /// The formats of columns of dates and of amounts
    /// (`TrainingConfiguration.dateFormats`, `.amountFormats`).
    case dateFormats, amountFormats
    /// The column that says whether a deal is closed
    /// (`TrainingConfiguration.closedColumn`).
    case closedColumn
    /// Natural cubic splines of numeric and date columns
    /// (`TrainingConfiguration.spline`, `.splines`).
    case spline, splines
    /// Monotone columns (`TrainingConfiguration.monotone`).
    case monotone
    /// Pair terms by name, and the automatic screen for them
    /// (`TrainingConfiguration.interactions`, `.autoInteractions`).
    case interactions, autoInteractions
    /// The penalty and its cross-validation (`TrainingConfiguration.penalty`,
    /// `.l1Ratio`, `.cv`, `.cvMetric`, `.cvRule`).
    case penalty, l1Ratio, cv, cvMetric, cvRule
    // The training request.
    case validationPath, holdoutOutputPath, trainingDate, memoryBudget, cacheDirectory
    // Scoring, evaluation and export.
    case idColumns, calibrationFraction, predictionsPath, model, rules, data
    /// Read a model card whose checksum does not match (`ModelCard.load`).
    case allowEditedModel
    /// Points that double the odds, in a points export.
    case pointsToDoubleOdds
    /// Bootstrap resamples of an evaluation.
    case bootstrapResamples
    /// The day the scored file's days-since columns were measured, when not
    /// the day the model or rules file names (`ScoringOptions.exportedOnDays`).
    case exportedOn
    /// The tier scheme of scoring and evaluation (`ScoringOptions.tiers`):
    /// inline text or a tiers file.
    case tiers
    /// A tier to cut and its targets (`ThresholdTier`), in `thresholds`.
    case thresholdTier
    /// The arrival rate of leads (`LeadRate`), in `thresholds`.
    case arrivalRate
    /// The column naming each lead's account (`AccountOptions.column`).
    case accountColumn
    /// The method of a recalibration (`ModelCard.Calibration.Method`).
    case calibrationMethod
    /// The probability's decimals in a scores file
    /// (`ScoringOptions.probabilityDecimals`).
    case precision

    /// The key in backquotes, as library text names it.
    public var mention: String { "`\(rawValue)`" }
}
