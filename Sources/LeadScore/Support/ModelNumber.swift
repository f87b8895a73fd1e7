/// Locale-independent text for numbers shown to users and written to CSV.
public enum ModelNumber {
    /// The shortest text that reads back as the same double (Swift's
    /// `description`), with a whole number written without ".0".
    public static func text(_ v: Double) -> String {
        if v.isFinite, v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return v.description
    }

    /// `v` rounded to `digits` decimals, for tables (never for data).
    public static func fixed(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return v.description }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        // Beyond what an Int64 holds, fixed decimals mean nothing anyway.
        guard abs(v) * scale < 9e18 else { return v.description }
        let r = (abs(v) * scale).rounded() / scale
        let negative = v < 0 && r != 0
        var s = String(Int64(r))
        if digits > 0 {
            let frac = Int64(((r - r.rounded(.down)) * scale).rounded())
            var f = String(frac)
            f = String(repeating: "0", count: max(0, digits - f.count)) + f
            s += "." + f
        }
        return negative ? "-" + s : s
    }

    /// `+1.9` / `-0.4`: a signed log-odds contribution with one decimal.
    public static func signed(_ v: Double, _ digits: Int = 1) -> String {
        (v >= 0 ? "+" : "") + fixed(v, digits)
    }
}
