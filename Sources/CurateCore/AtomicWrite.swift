import Foundation

/// Output that is either whole or absent: it is written beside its target under a temporary
/// name and renamed into place (rename is atomic within a file system), so a kill never
/// leaves a file or folder that looks finished and is not.
public enum AtomicWrite {
    /// Writes `data` to `url` through a temporary file in the same folder.
    public static func file(_ data: Data, to url: URL) throws {
        let temp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        try data.write(to: temp)
        try replace(url, with: temp)
    }

    /// Builds a folder with `fill` in a temporary folder beside `url`, then puts it in place of
    /// whatever `url` was. A kill during `fill` leaves only the temporary folder (named
    /// `.NAME.tmp-PID`), which the next call for the same target removes.
    public static func folder(_ url: URL, _ fill: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let parent = url.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let prefix = ".\(url.lastPathComponent).tmp-"
        for stale in (try? fm.contentsOfDirectory(atPath: parent.path)) ?? [] where stale.hasPrefix(prefix) {
            try? fm.removeItem(at: parent.appendingPathComponent(stale))
        }
        let temp = parent.appendingPathComponent(prefix + "\(getpid())")
        try fm.createDirectory(at: temp, withIntermediateDirectories: true)
        do { try fill(temp) } catch {
            try? fm.removeItem(at: temp)
            throw error
        }
        try replace(url, with: temp)
    }

    /// rename(2) over a file is atomic; over a non-empty folder it fails, so an old folder is
    /// first moved aside (the target is then briefly absent, never half-written).
    private static func replace(_ url: URL, with temp: URL) throws {
        if rename(temp.path, url.path) == 0 { return }
        let aside = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).old-\(getpid())")
        try? FileManager.default.removeItem(at: aside)
        guard rename(url.path, aside.path) == 0, rename(temp.path, url.path) == 0 else {
            throw CurateError("\(url.path): cannot put the new output in place (\(String(cString: strerror(errno)))) — check permissions and free space")
        }
        try? FileManager.default.removeItem(at: aside)
    }
}
