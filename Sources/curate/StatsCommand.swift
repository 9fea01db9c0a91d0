import ArgumentParser
import CuratePipeline

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show what the store holds.",
        discussion: """
            Sources (with licence, sha256 and what became of their records: read, stored, \
            duplicates, rejected, filtered), conversations per split, examples per task and \
            split and per template, token lengths per task (p50, p95, max; for examples \
            rendered with a tokenizer), rejects by reason, duplicates by kind, mixtures and \
            runs, and runs that were interrupted (killed before they finished) with what they \
            left. It only reads: it works on a read-only store, and a path that holds no store \
            is an error. Every figure is a plain SQL count; README "Store schema" shows the \
            queries for sqlite3. --json prints it all as one JSON object on stdout.

            Examples:
              curate stats --store dialogsum.db
              curate stats --store dialogsum.db --json
            """)

    @OptionGroup var output: JSONOutput

    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        try reportingErrors {
            output.begin()
            let store = try storeOptions.open(.readOnly)
            let (stats, sources) = (try store.stats(), try store.sourceAccounts())
            Console.report(Reports.stats(stats, sources: sources))
            output.emit(Reports.statsJSON(stats, sources: sources))
        }
    }
}
