import CurateCore
import Foundation
import XCTest
@testable import CurateModel

final class GGUFTests: XCTestCase {
    func testRoundTripMetadataAndTensors() throws {
        var w = GGUFWriter()
        let kvs: [(String, GGUFValue)] = [
            ("general.architecture", .string("llama")),
            ("u8", .uint8(200)), ("i8", .int8(-3)), ("u16", .uint16(65000)), ("i16", .int16(-300)),
            ("u32", .uint32(4_000_000_000)), ("i32", .int32(-7)), ("u64", .uint64(1 << 40)), ("i64", .int64(-(1 << 40))),
            ("f32", .float32(1.5)), ("f64", .float64(-2.25)), ("b", .bool(true)),
            ("strs", .array(.string, [.string("a"), .string("ü ✓"), .string("")])),
            ("empty", .array(.int32, [])),
            ("nested", .array(.array, [.array(.uint8, [.uint8(1)])])),
        ]
        for (k, v) in kvs { w.set(k, v) }
        let values = (0 ..< 64).map { Float($0) * 0.25 - 8 }
        try w.addTensor("a", shape: [32, 2], type: .f32, values: values)
        try w.addTensor("b", shape: [64], type: .f16, values: values)
        let path = try TestFiles.write(w, name: "roundtrip.gguf")

        let f = try GGUFFile(path: path)
        XCTAssertEqual(f.version, 3)
        XCTAssertEqual(f.metadataKeys, kvs.map(\.0))
        for (k, v) in kvs { XCTAssertEqual(f.metadata[k], v, k) }
        XCTAssertEqual(try f.strings("strs"), ["a", "ü ✓", ""])
        XCTAssertEqual(f.tensors.map(\.name), ["a", "b"])
        XCTAssertEqual(try f.tensor(named: "a").shape, [32, 2])
        XCTAssertEqual(f.dataOffset % 32, 0)
        XCTAssertEqual(try f.floats("a"), values)
        XCTAssertEqual(try f.floats("b"), values) // multiples of 0.25 are exact in fp16
    }

    func testCustomAlignmentIsHonoured() throws {
        var w = GGUFWriter()
        w.set("general.alignment", .uint32(64))
        try w.addTensor("x", shape: [3], type: .f32, values: [1, 2, 3])
        try w.addTensor("y", shape: [2], type: .f32, values: [4, 5])
        let f = try GGUFFile(path: try TestFiles.write(w, name: "align.gguf"))
        XCTAssertEqual(f.alignment, 64)
        XCTAssertEqual(f.dataOffset % 64, 0)
        XCTAssertEqual(try f.tensor(named: "y").offset, 64)
        XCTAssertEqual(try f.floats("y"), [4, 5])
    }

    /// Hand-built blocks with values worked out on paper from ggml's block definitions.
    func testDequantizeHandBuiltBlocks() throws {
        // Q8_0: d = 0.5 (fp16 0x3800), qs = -16...15 → value = q * 0.5.
        var q8: [UInt8] = [0x00, 0x38]
        q8 += (-16 ..< 16).map { UInt8(bitPattern: Int8($0)) }
        XCTAssertEqual(try decode(q8, .q8_0), (-16 ..< 16).map { Float($0) * 0.5 })

        // Q4_0: d = 2 (0x4000); byte j = (hi: 15-j, lo: j) → element j = (j-8)*2, element 16+j = (7-j)*2.
        var q4: [UInt8] = [0x00, 0x40]
        q4 += nibblePairs
        let low0: [Float] = (0 ..< 16).map { j in Float(j - 8) * 2 }
        let high0: [Float] = (0 ..< 16).map { j in Float(7 - j) * 2 }
        let expected0 = low0 + high0
        XCTAssertEqual(try decode(q4, .q4_0), expected0)

        // Q4_1: d = 0.25 (0x3400), m = -1 (0xBC00); same nibbles → element j = j*0.25 - 1.
        var q41: [UInt8] = [0x00, 0x34, 0x00, 0xBC]
        q41 += nibblePairs
        let low1: [Float] = (0 ..< 16).map { j in Float(j) * 0.25 - 1 }
        let high1: [Float] = (0 ..< 16).map { j in Float(15 - j) * 0.25 - 1 }
        let expected1 = low1 + high1
        XCTAssertEqual(try decode(q41, .q4_1), expected1)

        // F16 1.0 = 0x3C00, -2 = 0xC000; BF16 1.0 = 0x3F80, -0.5 = 0xBF00.
        XCTAssertEqual(try decode([0x00, 0x3C, 0x00, 0xC0], .f16), [1, -2])
        XCTAssertEqual(try decode([0x80, 0x3F, 0x00, 0xBF], .bf16), [1, -0.5])
    }

    func testQuantizersRoundTripWithinOneStep() throws {
        var rng = SeededRandom(seed: 7)
        let values = (0 ..< 256).map { _ in Float(rng.nextDouble() * 4 - 2) }
        for (type, tolerance) in [(GGMLType.q8_0, Float(2.0 / 127)), (.q4_0, 0.3), (.q4_1, 0.15), (.bf16, 0.01), (.f16, 0.002)] {
            let back = try decode(try Quantize.encode(values, as: type), type)
            let err = zip(values, back).map { abs($0 - $1) }.max()!
            XCTAssertLessThan(err, tolerance, "\(type)")
        }
    }

    func testTruncatedFileIsAClearError() throws {
        var w = GGUFWriter()
        w.set("general.name", .string("t"))
        // 16 Q8_0 blocks are 544 bytes, a multiple of 32, so the file ends with no padding.
        try w.addTensor("w", shape: [32, 16], type: .q8_0, values: [Float](repeating: 1, count: 512))
        let full = w.data()
        // Every prefix must fail with a GGUFError (never crash); most say "truncated".
        for cut in stride(from: 0, to: full.count, by: 7) {
            let path = try TestFiles.write(full.prefix(cut), name: "cut.gguf")
            XCTAssertThrowsError(try GGUFFile(path: path), "cut at \(cut)") { error in
                XCTAssert(error is GGUFError, "cut at \(cut): \(error)")
            }
        }
        let path = try TestFiles.write(full.prefix(full.count - 1), name: "cut.gguf")
        XCTAssertThrowsError(try GGUFFile(path: path)) { error in
            let text = "\(error)"
            XCTAssert(text.contains("truncated") && text.contains("'w'"), text)
        }
    }

    func testBadMagicAndVersion() throws {
        let path = try TestFiles.write(Data("GGML\u{3}\0\0\0".utf8), name: "magic.gguf")
        XCTAssertThrowsError(try GGUFFile(path: path)) { XCTAssertEqual($0 as? GGUFError, .badMagic(found: Array("GGML".utf8))) }
        var v2 = GGUFWriter()
        v2.set("k", .string("v"))
        var data = v2.data()
        data[4] = 2 // v2 and v3 share the little-endian layout
        XCTAssertEqual(try GGUFFile(path: try TestFiles.write(data, name: "v2.gguf")).metadata["k"], .string("v"))
        var v1 = GGUFWriter().data()
        v1[4] = 1
        XCTAssertThrowsError(try GGUFFile(path: try TestFiles.write(v1, name: "v1.gguf"))) {
            XCTAssertEqual($0 as? GGUFError, .unsupportedVersion(1))
        }
    }

    func testUnsupportedTypeNamesTensorTypeAndSupportedList() throws {
        // Write a Q8_0 tensor, then patch its type field to Q4_K (12).
        var w = GGUFWriter()
        try w.addTensor("blk.0.attn_q.weight", shape: [32], type: .q8_0, values: [Float](repeating: 0, count: 32))
        var data = w.data()
        let typeOffset = 24 + 8 + "blk.0.attn_q.weight".utf8.count + 4 + 8
        data[typeOffset] = 12
        let f = try GGUFFile(path: try TestFiles.write(data, name: "q4k.gguf"))
        XCTAssertThrowsError(try f.floats("blk.0.attn_q.weight")) { error in
            XCTAssertEqual("\(error)", "tensor 'blk.0.attn_q.weight' has type Q4_K, which cannot be dequantized; supported types: F32, F16, BF16, Q8_0, Q4_0, Q4_1 — use a model quantized to one of them")
        }
    }

    /// Byte j holds j in its low nibble and 15-j in its high nibble.
    func testRowsMustBeWholeBlocks() throws {
        // 2 rows of 16: 32 elements in all, but ggml quantizes rows, so this is corrupt.
        var w = GGUFWriter()
        try w.addTensor("w", shape: [32], type: .q8_0, values: [Float](repeating: 1, count: 32))
        var data = w.data()
        let dims = 24 + 8 + 1 + 4
        data.replaceSubrange(dims - 4 ..< dims + 8, with: [2, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0])
        data.insert(contentsOf: [2, 0, 0, 0, 0, 0, 0, 0], at: dims + 8)
        XCTAssertThrowsError(try GGUFFile(path: try TestFiles.write(data, name: "rows.gguf"))) {
            XCTAssertEqual("\($0)", "corrupt GGUF: tensor 'w': row length 16 is not a multiple of the Q8_0 block size 32")
        }
    }

    private let nibblePairs: [UInt8] = (0 ..< 16).map { (j: Int) -> UInt8 in UInt8(j) | (UInt8(15 - j) << 4) }

    private func decode(_ bytes: [UInt8], _ type: GGMLType) throws -> [Float] {
        let n = bytes.count / type.blockLayout!.bytes * type.blockLayout!.elements
        return bytes.withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: n) { out, count in
                Dequantize.run(type, raw, into: out)
                count = n
            }
        }
    }
}
