import CurateClean
import CurateCore
import CurateIngest
import CurateStore
import Foundation

/// Ingest wiring: each file → reader (preset) → clean → store, with counts per file.
public struct IngestJob: Sendable {
    public var files: [String]
    /// How to read the files; nil detects the preset of each file from its first bytes.
    public var preset: Preset?
    public var split: Split
    /// Stop at the first rejected record instead of recording it and going on.
    public var strict: Bool
    /// A fraction of conversations to put in the validation split instead of `split`, for
    /// logs that come without one. Chosen by content hash, so the same conversation always
    /// lands on the same side whatever order or file it arrives in.
    public var holdout: Double
    /// The same for the test split: conversations whose hash falls in the next `testHoldout`
    /// share go to test (so validation and test never overlap).
    public var testHoldout: Double
    /// The dataset these files are, by which mixtures weigh sources within a task (a task
    /// fed by DialogSum and SAMSum can take twice as much of one); the preset's name when nil.
    public var dataset: String?
    /// The data licence of these files (an SPDX id such as `CC-BY-4.0`, or a short name); when
    /// nil, the preset's dataset licence (`Preset.defaultLicense`), else `unknown`.
    public var license: String?

    public init(files: [String], preset: Preset?, split: Split, strict: Bool = false, holdout: Double = 0, testHoldout: Double = 0,
                dataset: String? = nil, license: String? = nil) {
        self.files = files
        self.preset = preset
        self.split = split
        self.strict = strict
        self.holdout = holdout
        self.testHoldout = testHoldout
        self.dataset = dataset
        self.license = license
    }

    func split(for conversation: Conversation) -> Split {
        guard holdout > 0 || testHoldout > 0 else { return split }
        let bucket = Double(StableHash.fnv1a64(ContentKey.conversation(conversation.turns)) % 10_000)
        if bucket < holdout * 10_000 { return .validation }
        if bucket < (holdout + testHoldout) * 10_000 { return .test }
        return split
    }

    public struct FileResult: Sendable {
        public var path: String
        /// The preset used: the one given, or the one detected.
        public var preset: String
        /// The licence recorded for the file.
        public var license: String
        public var counts: IngestCounts
        /// The first rejections, for printing; all of them are in the store's rejects table.
        public var firstRejections: [Diagnostic]
        public var rejectionsByReason: [String: Int]
        /// A next step for the whole file, e.g. a converted copy found beside a file of Python reprs.
        public var hint: String?
    }

    public struct Result: Sendable {
        public var files: [FileResult]
        public var total: IngestCounts { files.reduce(IngestCounts()) { $0 + $1.counts } }
    }

    public static let rejectionsShown = 10

    public func run(store: Store, runID: String, progress: ProgressReporter = .silent) throws -> Result {
        let normalizer = TextNormalizer()
        var results: [FileResult] = []
        for path in files {
            let source = try SourceFile(path: path)
            // An empty file has nothing to detect a format from; it is rejected, not an error.
            let preset = try self.preset ?? (source.isEmpty ? nil : FormatDetector.detect(path: path))
            let presetName = preset?.name ?? "undetected"
            try preset.map(Ingestor.init)?.check(source)
            let license = self.license ?? preset?.defaultLicense?.identifier ?? DataLicense.unknown
            let sourceID = try store.registerSource(path: source.displayPath, sha256: source.sha256, bytes: source.byteCount,
                                                    preset: presetName, dataset: dataset ?? presetName, split: split, license: license,
                                                    runID: runID)
            let writer = IngestWriter(store: store, runID: runID, sourceID: sourceID)
            var result = FileResult(path: path, preset: presetName, license: license, counts: IngestCounts(), firstRejections: [],
                                    rejectionsByReason: [:], hint: nil)
            var seen = 0
            let meter = ReadMeter()
            let read = { (emit: (IngestEvent) throws -> Void) in
                try ReadMeter.$current.withValue(meter) {
                    if let preset { try Ingestor(preset: preset).read(source, emit) } else { try emit(.rejected(Ingestor.emptyFile(source))) }
                }
            }
            try read { event in
                seen += 1
                if seen % 200 == 0 { progress.reportBytes("ingest \(source.displayPath)", min(meter.bytes, source.byteCount), source.byteCount) }
                switch event {
                case .conversation(let conversation):
                    let clean = normalizer.normalize(conversation)
                    try writer.add(clean, split: split(for: clean))
                case .rejected(let diagnostic):
                    if result.firstRejections.count < Self.rejectionsShown { result.firstRejections.append(diagnostic) }
                    result.rejectionsByReason[diagnostic.reason, default: 0] += 1
                    try writer.reject(diagnostic)
                    if strict {
                        try writer.flush()
                        throw CurateError("\(diagnostic) (stopped by --strict)")
                    }
                }
            }
            try writer.flush()
            progress.finish("ingest \(source.displayPath)")
            result.counts = writer.counts
            if (result.rejectionsByReason["python-repr"] ?? 0) > 0 { result.hint = Self.convertedSibling(of: path) }
            results.append(result)
        }
        return Result(files: results)
    }

    /// A JSON copy beside a file of Python reprs, found by name (`*convert*` with the same
    /// stem and extension), so the rejection summary can say which file to ingest instead.
    static func convertedSibling(of path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let stem = url.lastPathComponent.split(separator: ".").first.map(String.init) ?? ""
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        guard let sibling = names.sorted().first(where: {
            $0 != url.lastPathComponent && $0.hasPrefix(stem) && $0.contains("convert") && $0.hasSuffix(url.pathExtension)
        }) else { return nil }
        let shown = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) + "/" + sibling : sibling
        return "ingest \(shown) instead — it looks like a JSON conversion of this file"
    }
}
