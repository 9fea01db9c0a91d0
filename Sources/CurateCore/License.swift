/// A data licence as a source declares it: an SPDX identifier where one exists
/// (`CC-BY-NC-SA-4.0`), or a short name for terms that have none (`Yelp-Dataset-Terms`).
///
/// It travels from ingest (`--license`, a recipe's `license:`, a preset's default) through the
/// store's `sources` table into the shard manifest and dataset card, so whoever trains on a
/// shard folder sees what they may do with it. The restrictions are read from the identifier,
/// so a user-given licence is flagged the same way as a preset's.
public struct DataLicense: Sendable, Hashable, CustomStringConvertible {
    public let identifier: String

    public init(_ identifier: String) { self.identifier = identifier }

    /// What the store and manifest say for a source nobody declared a licence for.
    public static let unknown = "unknown"

    public var description: String { identifier }

    /// True for Creative Commons NC licences and the named non-commercial terms below: a model
    /// trained on such data should not be used commercially.
    public var isNonCommercial: Bool {
        let parts = Self.parts(of: identifier)
        return parts.contains("NC") || Self.nonCommercialTerms.contains(identifier)
            || identifier.lowercased().contains("non-commercial") || identifier.lowercased().contains("noncommercial")
    }

    /// True for Creative Commons ND licences: adapted material (a rendered instruction set is
    /// one) may not be shared.
    public var forbidsDerivatives: Bool { Self.parts(of: identifier).contains("ND") }

    public var isUnknown: Bool { identifier == Self.unknown }

    /// Terms without an SPDX id that are known to forbid commercial use.
    static let nonCommercialTerms: Set<String> = ["Yelp-Dataset-Terms", "NPS-Chat-Research-Only"]

    private static func parts(of identifier: String) -> [String] {
        identifier.uppercased().split(whereSeparator: { $0 == "-" || $0 == " " || $0 == "_" }).map(String.init)
    }
}
