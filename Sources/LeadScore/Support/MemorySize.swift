import Foundation

/// A number of bytes as users write it: `2G`, `512M`, `1.5GB`, `800000000`.
/// Suffixes K, M, G and T (optionally followed by B or iB) are powers of
/// 1024, as `free -h` and `ulimit` count.
public struct MemorySize: Sendable, Equatable, CustomStringConvertible {
    public var bytes: Int

    public init(bytes: Int) { self.bytes = bytes }

    /// nil when the text is not a positive size.
    public init?(_ text: String) {
        var t = text.trimmingCharacters(in: .whitespaces).uppercased()
        for suffix in ["IB", "B"] where t.hasSuffix(suffix) && t.count > suffix.count {
            t.removeLast(suffix.count)
            break
        }
        var scale = 1.0
        if let last = t.last, let power = ["K": 1, "M": 2, "G": 3, "T": 4][String(last)] {
            scale = pow(1024, Double(power))
            t.removeLast()
        }
        // Digits and at most one point (not `Double`'s whole syntax, which
        // reads hexadecimal and exponents).
        guard t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }), t.filter({ $0 == "." }).count <= 1,
            let value = Double(t), value > 0, value * scale < 9e18
        else { return nil }
        bytes = Int((value * scale).rounded())
    }

    /// `1.5 GiB`, `512 MiB`, `900 bytes`.
    public var description: String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var v = Double(bytes), unit = "bytes"
        for u in units where v >= 1024 {
            v /= 1024
            unit = u
        }
        return unit == "bytes" ? "\(bytes) bytes" : "\(ModelNumber.fixed(v, v < 10 ? 2 : v < 100 ? 1 : 0)) \(unit)"
    }

    /// The machine's physical memory, or nil when unknown.
    public static var physicalMemory: MemorySize? {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, size > 0 else { return nil }
        return MemorySize(bytes: pages * size)
    }

    /// The default memory budget of training (see
    /// `TrainingRequest.memoryBudget`): half the machine's memory (the
    /// other half is left for the per-row vectors and the rest of the
    /// system), or 4 GiB when the memory cannot be read.
    public static var defaultTrainingBudget: MemorySize {
        MemorySize(bytes: (physicalMemory?.bytes ?? 8 << 30) / 2)
    }
}
