/// Bytes read so far from the source being ingested, so progress can say how far through a
/// file an ingest is (and when it will end) whatever the format.
///
/// The ingest stage binds one per file with `ReadMeter.$current.withValue`; readers add what
/// each buffer refill read. Only the reading thread writes it and the progress callback on the
/// same thread reads it, so it needs no lock.
public final class ReadMeter: @unchecked Sendable {
    public private(set) var bytes = 0

    public init() {}

    @TaskLocal public static var current: ReadMeter?

    /// Counts `count` more bytes read.
    public func add(_ count: Int) { bytes += count }

    /// Sets the position outright, for readers (libxml2) that report bytes consumed.
    public func set(_ position: Int) { bytes = position }
}
