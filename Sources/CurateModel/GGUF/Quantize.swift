/// fp32 → ggml block encoders, following ggml-quants.c `quantize_row_*_ref`. They exist so
/// tests and tools can write GGUF files; the model never quantizes at run time.
public enum Quantize {
    /// Encodes `values` (a multiple of the block size for block types) as `type`.
    public static func encode(_ values: [Float], as type: GGMLType) throws -> [UInt8] {
        guard let (block, _) = type.blockLayout else {
            throw GGUFError.unsupportedTensorType(name: "<quantize>", type: type)
        }
        guard values.count % block == 0 else {
            throw GGUFError.invalidTensor(name: "<quantize>", reason: "\(values.count) values is not a multiple of the \(type) block size \(block)")
        }
        var out: [UInt8] = []
        out.reserveCapacity(type.byteCount(elements: values.count)!)
        switch type {
        case .f32: for v in values { append(v.bitPattern, to: &out) }
        case .f16: for v in values { append(Float16(v).bitPattern, to: &out) }
        case .bf16: for v in values { append(bf16(v), to: &out) }
        case .q8_0: for b in stride(from: 0, to: values.count, by: 32) { q8_0(values[b ..< b + 32], &out) }
        case .q4_0: for b in stride(from: 0, to: values.count, by: 32) { q4_0(values[b ..< b + 32], &out) }
        case .q4_1: for b in stride(from: 0, to: values.count, by: 32) { q4_1(values[b ..< b + 32], &out) }
        default: preconditionFailure("blockLayout and encode disagree on \(type)")
        }
        return out
    }

    /// Round-to-nearest-even bf16, as ggml's `ggml_compute_fp32_to_bf16` (NaN kept quiet).
    static func bf16(_ v: Float) -> UInt16 {
        let u = v.bitPattern
        if v.isNaN { return UInt16(u >> 16) | 64 }
        return UInt16((u &+ (0x7FFF &+ ((u >> 16) & 1))) >> 16)
    }

    private static func q8_0(_ x: ArraySlice<Float>, _ out: inout [UInt8]) {
        let amax = x.reduce(Float(0)) { max($0, abs($1)) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        append(Float16(d).bitPattern, to: &out)
        for v in x { out.append(UInt8(bitPattern: Int8((v * id).rounded()))) }
    }

    private static func q4_0(_ x: ArraySlice<Float>, _ out: inout [UInt8]) {
        // The value of largest magnitude, sign kept, maps to -8 so the full range is used.
        var maxv: Float = 0
        for v in x where abs(v) > abs(maxv) { maxv = v }
        let d = maxv / -8
        let id: Float = d != 0 ? 1 / d : 0
        append(Float16(d).bitPattern, to: &out)
        let q = x.map { v in UInt8(min(15, Int8(v * id + 8.5))) }
        for j in 0 ..< 16 { out.append(q[j] | q[j + 16] << 4) }
    }

    private static func q4_1(_ x: ArraySlice<Float>, _ out: inout [UInt8]) {
        let lo = x.min()!, hi = x.max()!
        let d = (hi - lo) / 15
        let id: Float = d != 0 ? 1 / d : 0
        append(Float16(d).bitPattern, to: &out)
        append(Float16(lo).bitPattern, to: &out)
        let q = x.map { v in UInt8(min(15, Int8((v - lo) * id + 0.5))) }
        for j in 0 ..< 16 { out.append(q[j] | q[j + 16] << 4) }
    }

    static func append<T: FixedWidthInteger>(_ v: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }
}
