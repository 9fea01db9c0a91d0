import ArgumentParser
import CurateCore
import CurateIngest
import CuratePipeline
import CurateStore

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read chat logs into the store as conversations.",
        discussion: """
            Each record becomes a conversation: turns (speaker, role, text, time), annotations \
            (summaries, topics, rating) and provenance (source path, source sha256, line, run id). \
            Text is normalized (NFC, line breaks, whitespace runs) before storage.

            Conversations are keyed by a hash of their normalized turn texts, so re-running the \
            same ingest stores nothing new: repeats are counted as duplicates. A record that cannot \
            be read is rejected with `file:line: what is wrong — what to do`, stored in the \
            rejects table, and the run goes on; the command then exits with status 3, or 0 \
            while rejects stay at or under --max-reject-rate. With --strict it stops at the \
            first rejection instead.

            Each source records its data licence: --license, else the preset's dataset licence \
            (dialogsum CC-BY-NC-SA-4.0, samsum CC-BY-NC-ND-4.0, sgd CC-BY-SA-4.0, bitext \
            CDLA-Sharing-1.0, yelp Yelp-Dataset-Terms …), else unknown. Shard manifests and \
            dataset cards list it and flag non-commercial ones.

            Without --preset, each file's preset is detected from its first bytes (the first \
            JSON record's keys, the CSV header, the XML root element); a file that fits several \
            presets is refused with their names. For CSV, --delimiter overrides the sniffed \
            delimiter. A folder is read as a Slack export (users.json beside one folder per \
            channel). An empty file is rejected as a whole (reason empty-file).

            Counts always add up: read = stored + duplicates + rejected. For presets with one \
            message per record (twcs, nps-chat, slack), read counts conversations built plus \
            rejected records.

            Examples:
              curate ingest ../shared/data/dialogsum/dialogsum.train.2021-05.converted.jsonl --preset dialogsum --split train
              curate ingest dialogsum.test.jsonl --preset dialogsum --split test --store dialogsum.db
              curate ingest samsum.test.json Bitext_Sample_Customer_Support_Training_Dataset.csv   # presets detected
              curate ingest chats.csv --preset samsum-csv --delimiter ';'
              curate ingest support.jsonl --preset curate --license CC-BY-4.0 --max-reject-rate 0.01 --json
              curate ingest slack-export/        # an unzipped Slack workspace export
              curate formats        # lists the presets
            """)

    @Argument(help: ArgumentHelp("Log files to read (or a Slack export folder).", valueName: "FILE"))
    var files: [String]

    @Option(help: "How to read the files: \(Preset.all.map(\.name).joined(separator: ", ")); detected per file when omitted. See `curate formats`.")
    var preset: String?

    @Option(help: "CSV delimiter: ',', ';', 'tab' or '|' (default: sniffed from the header row).")
    var delimiter: String?

    @Option(help: "The dataset name these files go by in mixtures (`curate mix --datasets`); default: the preset's name.")
    var dataset: String?

    @Option(help: ArgumentHelp("The data licence of these files, an SPDX id such as CC-BY-4.0 (default: the preset's dataset licence, e.g. dialogsum CC-BY-NC-SA-4.0; else unknown).", valueName: "LICENSE"))
    var license: String?

    @Option(help: "The split these conversations belong to: train, validation (or dev) or test.")
    var split: String = "train"

    @Option(help: "Put this fraction of conversations (0–1, chosen by content hash) in the validation split instead.")
    var holdout: Double = 0

    @Option(help: "Put a further fraction (by content hash, never overlapping --holdout) in the test split.")
    var testHoldout: Double = 0

    @Flag(help: "Stop at the first rejected record (exit 1) instead of recording it and going on.")
    var strict = false

    @OptionGroup var rejectRate: RejectRateOption

    @OptionGroup var output: JSONOutput

    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if let preset, Preset.named(preset) == nil {
            throw ValidationError("unknown preset '\(preset)' — known: \(Preset.all.map(\.name).joined(separator: ", ")) (see `curate formats`)")
        }
        if let delimiter {
            guard Self.delimiterByte(delimiter) != nil else {
                throw ValidationError("--delimiter must be ',', ';', 'tab' or '|', not '\(delimiter)'")
            }
            guard let preset = preset.flatMap(Preset.named), case .csv = preset.container else {
                throw ValidationError("--delimiter needs --preset naming a CSV preset (\(Preset.all.filter { $0.container.name == "csv" }.map(\.name).joined(separator: ", "))); detection sniffs the delimiter itself")
            }
        }
        guard Split(parsing: split) != nil else { throw ValidationError("unknown split '\(split)' — use train, validation or test") }
        guard (0..<1).contains(holdout) else { throw ValidationError("--holdout must be in [0, 1), e.g. 0.1") }
        guard testHoldout >= 0, holdout + testHoldout < 1 else { throw ValidationError("--test-holdout must be 0 or more, with --holdout + --test-holdout below 1") }
    }

    func run() throws {
        try reportingErrors {
            var chosen = preset.flatMap(Preset.named)
            if let byte = delimiter.flatMap(Self.delimiterByte) { chosen?.container = .csv(CSVOptions(delimiter: byte)) }
            output.begin()
            let job = IngestJob(files: files, preset: chosen, split: Split(parsing: split)!, strict: strict, holdout: holdout,
                                testHoldout: testHoldout, dataset: dataset, license: license)
            let store = try storeOptions.open(.create)
            var tooMany = false
            try withRun(store, command: "ingest") { runID in
                let result = try job.run(store: store, runID: runID, progress: Console.progress)
                Reports.printIngest(job, result)
                let total = result.total
                tooMany = RejectRateOption.exceeded(rejected: total.rejected, read: total.read, limit: rejectRate.maxRejectRate)
                output.emit(Reports.ingestJSON(job, result, maxRejectRate: rejectRate.maxRejectRate, exceeded: tooMany))
                return (total.rejected > 0 ? "rejects" : "ok", total.json)
            }
            if tooMany { throw ExitStatus.rejects }
        }
    }

    static func delimiterByte(_ text: String) -> UInt8? {
        let byte: UInt8? = text == "tab" || text == "\\t" ? 0x09 : (text.utf8.count == 1 ? text.utf8.first : nil)
        return byte.flatMap { CSVOptions.delimiters.contains($0) ? $0 : nil }
    }
}
