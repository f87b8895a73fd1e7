import Foundation

/// The shape a generated export takes: LeadScore's own columns, or those a
/// HubSpot deal export or a Salesforce opportunity report would have for
/// the same deals.
///
/// The deals are the same in every style: the same rows, draws, values and
/// outcomes (a style only writes them), so a model trained on a HubSpot or
/// Salesforce file equals the one trained on the plain file of the same
/// deals, which is how the readers of those formats are tested. What a
/// style changes:
///
/// - the column names (`header(regions:)`), and the ids written as the CRM
///   writes them (`Deal ID` 1000000001, `Id` 006000000000001);
/// - dates with a time of day, in the CRM's formats: HubSpot's
///   `Create Date` 2024-07-01 10:15 and `Last Activity Date` 07/01/2024
///   10:15 (month first, a US user's setting); Salesforce's `CreatedDate`
///   2024-07-01T10:15:00.000Z and `LastActivityDate` 01/07/2024 (day first,
///   a UK user's report). The last activity date is the export date
///   (2026-06-30) minus the plain file's Days Since Last Activity, so read
///   as of that day it is the same number;
/// - the outcome: HubSpot's `Deal Stage` closedwon, closedlost or an open
///   stage of the default pipeline; Salesforce's `StageName` with `IsClosed`
///   and `IsWon` (false for open deals as for lost ones);
/// - an `Amount` column, before the outcome: HubSpot 18111.00, Salesforce
///   USD 18,111.00. It is not in the true model (its true coefficient is
///   0; it goes with Company Size) and takes no draw of the row's
///   generator, so the other columns are those of the plain file.
extension SyntheticDeals {
    public enum Style: String, CaseIterable, Sendable {
        /// LeadScore's own columns (`SyntheticDeals.header`).
        case plain
        /// A HubSpot deal export.
        case hubspot
        /// A Salesforce opportunity report.
        case salesforce
    }

    /// The columns of `style`, in the order of `SyntheticDeals.header`
    /// (each plain column has one, renamed), with Amount before the
    /// outcome, which Salesforce writes in three columns.
    static func header(_ style: Style) -> [String] {
        switch style {
        case .plain:
            return header
        case .hubspot:
            return [
                "Deal ID", "Associated Company ID", "Associated Company", "Create Date", "Country/Region", "Industry", "Company Size",
                "Job Level", "Email Domain Type", "Original Source", "Pricing Page Visits", "Email Clicks", "Webinars Attended",
                "Website Sessions", "Last Activity Date", "Demo Requested", "Is Student", "Competitor", "Unsubscribed", "Amount", "Deal Stage",
            ]
        case .salesforce:
            return [
                "Id", "AccountId", "Account Name", "CreatedDate", "BillingCountry", "Industry", "Company_Size__c", "Job_Level__c",
                "Email_Domain_Type__c", "LeadSource", "Pricing_Page_Visits__c", "Email_Clicks__c", "Webinars_Attended__c",
                "Website_Sessions__c", "LastActivityDate", "Demo_Requested__c", "Is_Student__c", "Competitor__c", "Unsubscribed__c",
                "Amount", "StageName", "IsClosed", "IsWon",
            ]
        }
    }

    /// The open stages (`openStages`: Discovery, Proposal, Negotiation) as
    /// each CRM names them: HubSpot's default pipeline's internal values,
    /// Salesforce's standard stages.
    static let hubspotOpenStages = ["qualifiedtobuy", "presentationscheduled", "contractsent"]
    static let salesforceOpenStages = ["Qualification", "Proposal/Price Quote", "Negotiation/Review"]

    /// The median amount of a deal by company size (`sizes`, then missing),
    /// in dollars.
    static let medianAmount: [Double] = [4_000, 9_000, 18_000, 40_000, 90_000, 220_000, 20_000]
    /// The share of deals without an amount.
    static let amountMissing = 0.05

    /// Row `r`'s amount in whole dollars, nil when missing: the size's
    /// median times a log-normal factor (σ = 0.6), from a generator of its
    /// own seeded by the row (not the row's, whose draws make the deal).
    func amount(_ r: Row) -> Int? {
        var h = SeededGenerator(seed: rowKey ^ 0x5A17_A3C0_A1D5_0000 ^ (UInt64(r.index) &* 0x9E37_79B9_7F4A_7C15))
        var g = SeededGenerator(seed: h.next())
        guard g.uniform() >= Self.amountMissing else { return nil }
        return Int((Self.medianAmount[r.size] * exp(0.6 * Self.normal(&g))).rounded())
    }

    /// Row `r`'s time of day on its creation date, in minutes from
    /// midnight: 08:00 to 17:59, a function of the row alone.
    static func minutes(_ r: Row) -> Int { 8 * 60 + (r.index &* 7919 &+ 311) % 600 }

    /// `f`, the plain fields of row `r` (`format`), written in `style`.
    func styled(_ r: Row, plain f: [String], into out: inout [String]) {
        let t = Self.minutes(r)
        let time = Self.decimal(t / 60, width: 2) + ":" + Self.decimal(t % 60, width: 2)
        let (year, month, day) = Self.civilFromDays(r.day)
        let (ly, lm, ld) = Self.civilFromDays(Self.lastDay - r.daysSinceActivity)
        let amount = amount(r)
        // The plain columns 4–13 and 15–18 are written as they are.
        for k in [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18] { out[k] = f[k] }
        switch style {
        case .plain:
            return
        case .hubspot:
            out[0] = Self.decimal(1_000_000_000 + r.index + 1)
            out[1] = Self.decimal(100_000_000 + r.account + 1)
            out[2] = f[2]
            out[3] = f[3] + " " + time
            out[14] = Self.decimal(lm, width: 2) + "/" + Self.decimal(ld, width: 2) + "/" + Self.decimal(ly, width: 4) + " " + time
            out[19] = amount.map { Self.decimal($0) + ".00" } ?? ""
            out[20] = r.openStage >= 0 ? Self.hubspotOpenStages[r.openStage] : r.won ? "closedwon" : "closedlost"
        case .salesforce:
            out[0] = Self.decimal(r.index + 1, width: 12, prefix: "006")
            out[1] = Self.decimal(r.account + 1, width: 12, prefix: "001")
            out[2] = f[2]
            out[3] = Self.decimal(year, width: 4) + "-" + Self.decimal(month, width: 2) + "-" + Self.decimal(day, width: 2) + "T" + time + ":00.000Z"
            out[14] = Self.decimal(ld, width: 2) + "/" + Self.decimal(lm, width: 2) + "/" + Self.decimal(ly, width: 4)
            out[19] = amount.map { "USD " + Self.grouped($0) + ".00" } ?? ""
            out[20] = r.openStage >= 0 ? Self.salesforceOpenStages[r.openStage] : r.won ? "Closed Won" : "Closed Lost"
            out[21] = r.openStage >= 0 ? "false" : "true"
            out[22] = r.openStage < 0 && r.won ? "true" : "false"
        }
        if regions { out[out.count - 1] = f[f.count - 1] }
    }

    /// `n` with a comma between thousands: 18,111.
    static func grouped(_ n: Int) -> String {
        n < 1000 ? decimal(n) : grouped(n / 1000) + "," + decimal(n % 1000, width: 3)
    }
}
