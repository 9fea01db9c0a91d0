/// Keys and values of the positions one sequence has seen, for every layer.
///
///     keys, values: [layers, capacity, KV]   (KV = kvHeads·headDim; keys already rotated)
///
/// A cache belongs to one sequence; batched decoding uses one cache per sequence.
public final class KVCache: @unchecked Sendable {
    public let layers: Int
    public let capacity: Int
    public let kvDim: Int
    /// Positions filled so far; the next token goes at this position.
    public internal(set) var count = 0
    let keys: UnsafeMutableBufferPointer<Float>
    let values: UnsafeMutableBufferPointer<Float>

    public init(config: LlamaConfig, capacity: Int) {
        layers = config.layers
        self.capacity = capacity
        kvDim = config.kvDim
        keys = .allocate(capacity: layers * capacity * kvDim)
        values = .allocate(capacity: layers * capacity * kvDim)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Forgets every position, keeping the memory.
    public func reset() { count = 0 }

    /// Start of layer `layer`'s keys (or values) at `position`.
    @inline(__always)
    func keys(layer: Int, position: Int = 0) -> UnsafeMutablePointer<Float> {
        keys.baseAddress! + (layer * capacity + position) * kvDim
    }

    @inline(__always)
    func values(layer: Int, position: Int = 0) -> UnsafeMutablePointer<Float> {
        values.baseAddress! + (layer * capacity + position) * kvDim
    }
}
