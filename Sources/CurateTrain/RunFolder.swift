import CurateCore
import Foundation

/// The files of one training run, `RUN/`:
///
///     run.json                    settings, inputs and their hashes, status, data counts, result
///     train_log.jsonl             one object per step and per validation
///     checkpoint/                 the latest checkpoint (while the run is unfinished)
///     adapter_model.safetensors   + adapter_config.json: the LoRA adapter, PEFT's format
///     model.safetensors           + config.json: full fine-tuning, transformers' format
///     best/                       the model at the best validation loss
public struct RunFolder: Sendable {
    public let url: URL

    public init(_ url: URL) { self.url = url }

    public var runJSON: URL { url.appendingPathComponent("run.json") }
    public var log: URL { url.appendingPathComponent("train_log.jsonl") }
    public var checkpoint: URL { url.appendingPathComponent("checkpoint") }
    public var best: URL { url.appendingPathComponent("best") }

    public var hasCheckpoint: Bool { FileManager.default.fileExists(atPath: checkpoint.appendingPathComponent("state.json").path) }

    /// Keeps the log lines of steps up to `step` (a resumed run rewrites what came after),
    /// dropping a last line cut short by a kill.
    func truncateLog(after step: Int) throws {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return }
        let kept = text.split(separator: "\n").filter { line in
            guard let value = try? JSONParser.parse(String(line)), let s = value["step"]?.intValue else { return false }
            return s <= step
        }
        try AtomicWrite.file(Data(kept.map { $0 + "\n" }.joined().utf8), to: log)
    }
}

/// Appends lines to a file, one write per line, so a kill loses at most the line being written.
final class LineAppender {
    private let handle: FileHandle

    init(_ url: URL, truncate: Bool) throws {
        if truncate || !FileManager.default.fileExists(atPath: url.path) {
            FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
    }

    func append(_ line: String) throws { try handle.write(contentsOf: Data((line + "\n").utf8)) }

    deinit { try? handle.close() }
}
