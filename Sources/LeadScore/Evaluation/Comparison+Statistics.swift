/// The statistics of a comparison report, from `DeLong`, `RankingMetrics`
/// and `CalibrationReport`, flattened into the report's stable fields.
enum ComparisonStatistics {
    static func ranking(labels y: [Double], ranked: RankedScores) -> ScorerReport.Ranking {
        let a = DeLong.auc(ranked, labels: y)
        let ks = RankingMetrics.kolmogorovSmirnov(ranked)
        return .init(
            auc: a.auc, aucVariance: a.variance, aucLower: a.lower, aucUpper: a.upper, gini: 2 * a.auc - 1, ks: ks.statistic,
            ksThreshold: ks.threshold)
    }

    /// DeLong's paired comparison, as b − a.
    static func compareAUC(labels y: [Double], a: RankedScores, b: RankedScores) -> (lower: Double, upper: Double, p: Double) {
        let d = DeLong.compare(labels: y, b, a)
        return (d.lower, d.upper, d.pValue)
    }

    static func calibration(labels y: [Double], probabilities p: [Double]) -> CalibrationSummary {
        let c = CalibrationReport.compute(labels: y, probabilities: p)
        func rows(_ t: ReliabilityTable) -> [CalibrationSummary.ReliabilityRow] {
            t.bins.map {
                .init(
                    lower: $0.lowerEdge, upper: $0.upperEdge, count: $0.count, meanPredicted: $0.meanPredicted, observedRate: $0.observedRate,
                    wilsonLower: $0.wilsonLower, wilsonUpper: $0.wilsonUpper)
            }
        }
        return CalibrationSummary(
            reliabilityEqualWidth: rows(c.equalWidth), reliabilityEqualCount: rows(c.equalCount), eceEqualWidth: c.equalWidth.ece,
            eceEqualCount: c.equalCount.ece, logLoss: BinaryMetrics.logLoss(labels: y, probabilities: p), brier: c.brier.brier, brierReliability: c.brier.reliability, brierResolution: c.brier.resolution,
            brierUncertainty: c.brier.uncertainty, brierResidual: c.brier.residual, calibrationInTheLarge: c.calibrationInTheLarge,
            calibrationSlope: c.recalibration.slope, calibrationIntercept: c.recalibration.offsetIntercept,
            hosmerLemeshow: c.hosmerLemeshow.statistic, hosmerLemeshowDF: c.hosmerLemeshow.degreesOfFreedom,
            hosmerLemeshowP: c.hosmerLemeshow.pValue)
    }
}
