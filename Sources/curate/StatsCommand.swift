import ArgumentParser
import CuratePipeline

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show what the store holds.",
        discussion: """
            Sources (with sha256 and conversations stored from each), conversations per split, \
            examples per task and split and per template, rejects by reason, duplicates, \
            mixtures and runs, and runs that were interrupted (killed before they finished) \
            with what they left. It only reads: it works on a read-only store, and a path that \
            holds no store is an error. Every figure is a plain SQL count; README "Store schema" shows \
            the queries for sqlite3.

            Example:
              curate stats --store dialogsum.db
            """)

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        try reportingErrors {
            print(Reports.stats(try storeOptions.open(.readOnly).stats()))
        }
    }
}
