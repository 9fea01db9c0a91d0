import CurateCore
import CurateModel
import Foundation
@testable import CurateTrain

/// The tiny random llama (2 layers, width 64, grouped-query attention) the trainer tests run on,
/// with every tensor stored in F32 so that a reference reading the file sees exactly the
/// weights curate trains.
enum TinyModel {
    static let directory: String = {
        let dir = NSTemporaryDirectory() + "curate-train-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    static let path: String = {
        let path = directory + "/tiny-f32.gguf"
        try! RandomLlama.writer(storage: .f32).write(to: path)
        return path
    }()

    static func weights() throws -> LlamaWeights { try LlamaWeights(gguf: try GGUFFile(path: path)) }

    /// Two sequences of byte tokens with answers, packed.
    static func batch(seed: UInt64 = 7, lengths: [Int] = [19, 12], answer: [Int] = [6, 4]) -> PackedBatch {
        var rng = SeededRandom(seed: seed)
        var batch = PackedBatch()
        for (n, k) in zip(lengths, answer) {
            batch.append(tokens: (0 ..< n).map { _ in 3 + rng.nextIndex(below: 256) }, answerStart: n - k)
        }
        return batch
    }
}

/// Random fill for buffers under test.
func fillRandom(_ p: UnsafeMutablePointer<Float>, _ n: Int, _ rng: inout SeededRandom, scale: Float = 1) {
    for i in 0 ..< n { p[i] = Float(rng.nextDouble() * 2 - 1) * scale }
}
