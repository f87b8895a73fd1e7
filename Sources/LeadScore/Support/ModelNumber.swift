import Foundation

/// Locale-independent text for numbers shown to users and written to CSV.
public enum ModelNumber {
    /// The shortest text that reads back as the same double (Swift's
    /// `description`), with a whole number written without ".0".
    public static func text(_ v: Double) -> String {
        if v.isFinite, v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return v.description
    }

    /// `v` to `digits` significant digits ("15.11", "0.001125", "1.2e+04"),
    /// for text about a value whose magnitude varies, such as a penalty λ
    /// (never for data: the card keeps every digit).
    public static func significant(_ v: Double, _ digits: Int = 4) -> String {
        guard v.isFinite else { return v.description }
        return String(format: "%.\(digits)g", v)
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

    /// A share in [0, 1] as a percentage with `digits` decimals, `21.3%`;
    /// "—" when it is not a number.
    public static func percent(_ share: Double, _ digits: Int = 1) -> String {
        share.isFinite ? fixed(share * 100, digits) + "%" : "—"
    }

    /// `+1.9` / `-0.4`: a signed log-odds contribution with one decimal.
    public static func signed(_ v: Double, _ digits: Int = 1) -> String {
        (v >= 0 ? "+" : "") + fixed(v, digits)
    }

    /// e^c, the factor a log-odds contribution c multiplies the odds of
    /// winning by, as a reason in words writes it (`odds ×4.5`): two
    /// significant digits, and whole from 10 up (`oddsDecimals`): 4.5,
    /// 1.1, 0.33, 0.074, 20, 148.
    public static func odds(_ c: Double) -> String {
        let f = exp(c)
        return fixed(f, oddsDecimals(f))
    }

    /// The decimals of an odds factor f > 0 (`odds`): d = max(0, 1 − ⌊log₁₀ f⌋),
    /// so that f·10^d has two digits before the point; one fewer when f
    /// rounds up to the next power of ten (9.96 is written 10, not 10.0).
    /// Never more than 12: smaller factors (below 5e-13, e^c for c < −28,
    /// a value far outside training) are written 0.000000000000.
    static func oddsDecimals(_ f: Double) -> Int {
        guard f.isFinite else { return 0 }
        guard f > 0 else { return 12 }
        var d = min(12, max(0, 1 - Int(log10(f).rounded(.down))))
        if d > 0 && (f * pow(10, Double(d))).rounded() >= 100 { d -= 1 }
        return d
    }

    /// 1234567 → "1,234,567".
    public static func grouped(_ n: Int) -> String {
        let s = String(n.magnitude)
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// 0.00012 → "1.2e-4": one decimal of the mantissa, for tolerances and
    /// gradient norms. Zero, negative and non-finite values as `description`.
    public static func scientific(_ v: Double) -> String {
        guard v > 0, v.isFinite else { return v.description }
        var e = Int(log10(v).rounded(.down))
        var m = v / pow(10, Double(e))
        // 9.96e-5 rounds to 10.0e-5: write 1.0e-4.
        if (m * 10).rounded() >= 100 {
            e += 1
            m /= 10
        }
        return fixed(m, 1) + "e" + String(e)
    }
}
