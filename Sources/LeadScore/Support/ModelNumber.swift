import Foundation

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

    /// A share in [0, 1] as a percentage with `digits` decimals, `21.3%`;
    /// "—" when it is not a number.
    public static func percent(_ share: Double, _ digits: Int = 1) -> String {
        share.isFinite ? fixed(share * 100, digits) + "%" : "—"
    }

    /// `+1.9` / `-0.4`: a signed log-odds contribution with one decimal.
    public static func signed(_ v: Double, _ digits: Int = 1) -> String {
        (v >= 0 ? "+" : "") + fixed(v, digits)
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
