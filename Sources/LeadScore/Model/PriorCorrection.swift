import Foundation

/// The prior correction of a logistic model's intercept for a known
/// sampling of the outcome (King & Zeng 2001, §4.1).
///
/// A model fitted where won deals make up a share ȳ of the (weighted)
/// rows, but scoring a population where they make up τ, has the right
/// slopes and an intercept off by ln[((1 − τ)/τ)·(ȳ/(1 − ȳ))]: its
/// probabilities are those of a population with rate ȳ. The correction is
///
///     b₀′ = b₀ − ln[((1 − τ)/τ) · (ȳ/(1 − ȳ))]
///
/// which moves every lead's log-odds by the same amount, so the ranking is
/// unchanged. LeadScore makes it when training (`Trainer`), by default
/// (`TrainingConfiguration.priorCorrection`), in two cases:
/// - `ClassWeight.balanced`: each class carries half the total weight, so
///   ȳ = Σ sᵢyᵢ / Σ sᵢ over the fit's weights sᵢ is 1/2 (exactly, without
///   sample weights), and τ is the training rows' own rate of won deals
///   (weighted by the sample weights, if any) unless a population rate is
///   given;
/// - a given population rate τ (`TrainingConfiguration.populationRate`),
///   for an export that kept fewer lost deals than the CRM holds: ȳ is the
///   training rows' effective rate.
/// τ is then the rate the card's probabilities are calibrated to in the
/// large. Without the correction, a model trained with balanced weights
/// on the bundled deals (21% won) predicts about 40% on average.
///
/// Properties: with ȳ = τ the shift is 0. For a correctly specified model
/// fitted by maximum likelihood on a sample drawn by outcome (or weighted
/// to ȳ), the corrected intercept is a consistent estimate of the
/// population's (King & Zeng, eq. 7); with an L2 penalty or a misspecified
/// model it is an approximation, which `leadscore recalibrate` can check
/// and refine on newer deals.
///
/// Reference: G. King, L. Zeng, "Logistic Regression in Rare Events Data",
/// Political Analysis 9 (2001) 137–163.
public struct PriorCorrection: Codable, Sendable, Equatable {
    /// τ, the rate of won deals of the population scored.
    public var populationRate: Double
    /// Whether τ was given (true) or is the training rows' rate (false).
    public var populationRateGiven: Bool
    /// ȳ, the fit's effective rate of won deals: Σ sᵢyᵢ / Σ sᵢ.
    public var sampleRate: Double
    /// b₀, the intercept as fitted, before the correction.
    public var fittedIntercept: Double
    /// ln[((1 − τ)/τ)·(ȳ/(1 − ȳ))], subtracted from b₀.
    public var shift: Double

    public init(populationRate: Double, populationRateGiven: Bool, sampleRate: Double, fittedIntercept: Double) {
        self.populationRate = populationRate
        self.populationRateGiven = populationRateGiven
        self.sampleRate = sampleRate
        self.fittedIntercept = fittedIntercept
        shift = PriorCorrection.shift(populationRate: populationRate, sampleRate: sampleRate)
    }

    /// ln[((1 − τ)/τ)·(ȳ/(1 − ȳ))], written as the difference of the two
    /// log-odds, logit(ȳ) − logit(τ), each a log of a ratio (no
    /// cancellation inside a log).
    public static func shift(populationRate tau: Double, sampleRate ybar: Double) -> Double {
        log(ybar / (1 - ybar)) - log(tau / (1 - tau))
    }

    /// b₀ − shift, the intercept the card scores with.
    public var correctedIntercept: Double { fittedIntercept - shift }
}
