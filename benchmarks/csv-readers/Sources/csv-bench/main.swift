import Foundation

// csv-bench prepare <output.csv> <target rows> [<Leads.csv>]
// csv-bench run <reader> <file.csv> <repetitions>     (one reader per process, for peak RSS)
// csv-bench report <results.tsv>
//
// Every reader touches every field of every row (summing the UTF-8 byte
// lengths of the fields) and the sums are compared in the report.

let arguments = CommandLine.arguments
func usage() -> Never {
    FileHandle.standardError.write(Data("usage: csv-bench prepare <out.csv> <rows> [<Leads.csv>] | run <reader> <file.csv> <reps> | report <results.tsv>\n".utf8))
    exit(2)
}
guard arguments.count >= 3 else { usage() }

switch arguments[1] {
case "prepare" where arguments.count >= 4:
    prepare(output: arguments[2], targetRows: Int(arguments[3]) ?? 500_000, source: arguments.count > 4 ? arguments[4] : nil)
case "run" where arguments.count >= 5:
    run(reader: arguments[2], path: arguments[3], repetitions: Int(arguments[4]) ?? 5)
case "report":
    report(arguments[2])
default:
    usage()
}
