/// The tool version written into runs and manifests, so a shard set names what made it.
public enum CurateVersion {
    public static let current = "0.1.0"
}
