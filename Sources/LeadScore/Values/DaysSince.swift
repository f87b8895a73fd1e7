/// A days-since column read as of another day than the one it was measured
/// on: "Days Since Last Activity", counted by the CRM up to the export date,
/// read as of the day the leads are scored.
///
/// A column measured on day M holds, for each lead, x = M − e: the days from
/// the lead's event e (its last activity) to M. As of day D, with no new
/// event, the same lead has gone D − M more days without one, so its value
/// is
///
///     x(D) = x + (D − M)
///
/// Both days count from 1970-01-01, so D − M is a whole number of days. The
/// model card (`ModelCard.Schema.measuredOn`) and the rules file
/// (`RuleSet.measuredOn`) name the columns and their day M, the day of the
/// export they were trained or written on; a file exported on another day
/// gives its own M (`ScoringOptions.exportedOnDays`). The scorer's as-of
/// day D (`ScoringOptions.asOfDays`) is the day to read them as of.
/// Without an as-of day nothing is aged: the values are read as exported,
/// which is also how training reads them.
///
/// Going back in time (D < M) the count goes down, but not below 0: a lead
/// whose last event came between D and M counts as active on D, the most
/// recent it can have been, since the export does not say when the event
/// before it was. A value already below 0 (not a count of days) is left as
/// it is rather than raised. A missing value stays missing.
public enum DaysSince {
    /// `x` read `days` days after the day it was measured (`days` = D − M,
    /// negative for an earlier day): x + days, and for days < 0 not below
    /// min(x, 0). `days` = 0 returns `x` itself.
    @inline(__always)
    public static func aged(_ x: Double, by days: Int) -> Double {
        guard days != 0 else { return x }
        let moved = x + Double(days)
        return days > 0 ? moved : max(moved, min(x, 0))
    }

    /// The days to add to each column's values to read them as of
    /// `asOfDays` (days since 1970-01-01): D − M for each column measured
    /// on M (`measuredOn`: column → YYYY-MM-DD), or on `exportedOnDays` for
    /// every one of them when it is given (the file scored was exported on
    /// that day). Empty without an as-of day or without columns; a date that
    /// is not an ISO 8601 date is skipped (the model card and the rules file
    /// refuse one when they are read).
    public static func shifts(measuredOn: [String: String]?, asOfDays: Int?, exportedOnDays: Int? = nil) -> [String: Int] {
        guard let asOfDays, let measuredOn else { return [:] }
        var shifts: [String: Int] = [:]
        for (column, date) in measuredOn {
            if let measured = exportedOnDays ?? ValueParser.isoDate(date) { shifts[column] = asOfDays - measured }
        }
        return shifts
    }
}
