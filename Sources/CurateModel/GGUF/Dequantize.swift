/// Block decoders from ggml types to fp32, following ggml-quants.c `dequantize_row_*`.
enum Dequantize {
    /// Decodes `raw` (exactly `out.count` elements of `type`) into `out`. The caller has checked
    /// the type is supported and the byte count matches.
    static func run(_ type: GGMLType, _ raw: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Float>) {
        switch type {
        case .f32:
            for i in 0 ..< out.count { out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
        case .f16:
            for i in 0 ..< out.count { out[i] = half(raw, 2 * i) }
        case .bf16:
            // bf16 is the top half of an fp32.
            for i in 0 ..< out.count { out[i] = Float(bitPattern: UInt32(u16(raw, 2 * i)) << 16) }
        case .q8_0:
            forEachBlock(raw, bytes: 34, out) { b, o in
                let d = half(raw, b)
                for j in 0 ..< 32 { o[j] = d * Float(Int8(bitPattern: raw[b + 2 + j])) }
            }
        case .q4_0:
            // Low nibbles are elements 0..15, high nibbles 16..31, both offset by 8.
            forEachBlock(raw, bytes: 18, out) { b, o in
                let d = half(raw, b)
                for j in 0 ..< 16 {
                    let q = raw[b + 2 + j]
                    o[j] = d * Float(Int(q & 0x0F) - 8)
                    o[j + 16] = d * Float(Int(q >> 4) - 8)
                }
            }
        case .q4_1:
            forEachBlock(raw, bytes: 20, out) { b, o in
                let d = half(raw, b), m = half(raw, b + 2)
                for j in 0 ..< 16 {
                    let q = raw[b + 4 + j]
                    o[j] = Float(q & 0x0F) * d + m
                    o[j + 16] = Float(q >> 4) * d + m
                }
            }
        default:
            preconditionFailure("Dequantize.run called with unsupported type \(type)")
        }
    }

    /// Calls `body(byteOffset, outputPointer)` for each 32-element block.
    @inline(__always)
    private static func forEachBlock(_ raw: UnsafeRawBufferPointer, bytes: Int, _ out: UnsafeMutableBufferPointer<Float>,
                                     _ body: (Int, UnsafeMutablePointer<Float>) -> Void) {
        for blk in 0 ..< out.count / 32 { body(blk * bytes, out.baseAddress! + blk * 32) }
    }

    @inline(__always)
    static func u16(_ raw: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    @inline(__always)
    static func half(_ raw: UnsafeRawBufferPointer, _ offset: Int) -> Float {
        Float(Float16(bitPattern: u16(raw, offset)))
    }
}
