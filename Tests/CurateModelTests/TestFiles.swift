import Foundation
@testable import CurateModel

/// Files the tests create, all under one per-process temporary directory.
enum TestFiles {
    static let directory: String = {
        let dir = NSTemporaryDirectory() + "curate-model-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    static func write(_ data: Data, name: String) throws -> String {
        let path = directory + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    static func write(_ writer: GGUFWriter, name: String) throws -> String {
        try write(writer.data(), name: name)
    }
}
