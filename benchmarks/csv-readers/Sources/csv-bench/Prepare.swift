import Foundation

/// Writes the benchmark input: the Leads.csv header, then its data rows
/// repeated until about `targetRows` rows; without Leads.csv, a generated
/// file of the same shape (38 columns, trailing comma, CRLF, some quoted
/// fields with commas).
func prepare(output: String, targetRows: Int, source: String?) {
    var out = Data()
    if let source, let data = FileManager.default.contents(atPath: source),
        let firstBreak = data.firstIndex(of: UInt8(ascii: "\n"))
    {
        let header = data[...firstBreak]
        var body = data[data.index(after: firstBreak)...]
        if body.last != UInt8(ascii: "\n") { body.append(contentsOf: "\r\n".utf8) }
        let bodyRows = body.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        let repeats = max(1, Int((Double(targetRows) / Double(bodyRows)).rounded()))
        out.reserveCapacity(header.count + body.count * repeats)
        out.append(header)
        for _ in 0..<repeats { out.append(body) }
        print("prepared \(output): \(source) data rows ×\(repeats) = \(bodyRows * repeats) rows, \(out.count) bytes")
    } else {
        out = generated(rows: targetRows)
        print("prepared \(output): generated \(targetRows) rows, \(out.count) bytes (Leads.csv not found)")
    }
    do {
        try out.write(to: URL(fileURLWithPath: output))
    } catch {
        FileHandle.standardError.write(Data("cannot write \(output): \(error)\n".utf8))
        exit(1)
    }
}

private func generated(rows: Int) -> Data {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {  // splitmix64
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    let categories = ["Google", "Direct Traffic", "Olark Chat", "\"Banking, Investment And Insurance\"", "Select", "", "No", "Yes"]
    var text = (1...37).map { "Column \($0)" }.joined(separator: ",") + ",\r\n"
    var data = Data(text.utf8)
    for row in 0..<rows {
        text = String(format: "%08x-%04x-4%03x-a%03x-%012llx", UInt32(truncatingIfNeeded: next()), row & 0xFFFF, row & 0xFFF, row & 0xFFF, next() & 0xFFFF_FFFF_FFFF)
        text += ",\(660_000 + row)"
        for column in 2..<37 {
            if column % 3 == 0 {
                text += ",\(next() % 2000)"
            } else {
                text += "," + categories[Int(next() % UInt64(categories.count))]
            }
        }
        text += ",\r\n"
        data.append(contentsOf: text.utf8)
    }
    return data
}
