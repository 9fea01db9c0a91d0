import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a folder so that it appears complete or not at all: its contents are built in a
/// staging folder beside the target (so on the same file system), flushed to disk, and
/// swapped in with one rename. A kill at any moment leaves either the old folder or the new
/// one at the target, never a mix; a staging folder left by a killed process is removed by
/// the next write.
///
/// Files in the old folder that the caller does not claim (`isPreviousOutput` false: a
/// user's notes, an eval run written inside) are carried into the new one, hard-linked, unless
/// the new contents have a file of the same name.
public enum AtomicFolder {
    public static func replace(_ target: URL, isPreviousOutput: (String) -> Bool, build: (URL) throws -> Void) throws {
        let manager = FileManager.default
        let parent = target.deletingLastPathComponent()
        try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        removeAbandonedStaging(beside: target)
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).partial-\(getpid())-\(UUID().uuidString.prefix(8))")
        try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        do {
            try build(staging)
            let exists = manager.fileExists(atPath: target.path)
            if exists { try carryOver(from: target, to: staging, isPreviousOutput: isPreviousOutput) }
            try flush(staging)
            try swap(staging, into: target, exists: exists)
            if exists { try? manager.removeItem(at: staging) }
        } catch let error as CocoaError {
            try? manager.removeItem(at: staging)
            // Name the folder the user asked for, not the staging folder that is gone.
            throw CurateError(FileErrors.explain(error).replacingOccurrences(of: staging.path, with: target.path))
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
    }

    /// Staging folders (`.NAME.partial-PID-…`) whose process is gone.
    static func removeAbandonedStaging(beside target: URL) {
        let parent = target.deletingLastPathComponent()
        let prefix = ".\(target.lastPathComponent).partial-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }) else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(at: parent.appendingPathComponent(name)) }
        }
    }

    private static func carryOver(from old: URL, to new: URL, isPreviousOutput: (String) -> Bool) throws {
        let manager = FileManager.default
        guard let walk = manager.enumerator(atPath: old.path) else { return }
        while let relative = walk.nextObject() as? String {
            let source = old.appendingPathComponent(relative)
            guard (walk.fileAttributes?[.type] as? FileAttributeType) == .typeRegular, !isPreviousOutput(relative),
                  !manager.fileExists(atPath: new.appendingPathComponent(relative).path) else { continue }
            let destination = new.appendingPathComponent(relative)
            try manager.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            if link(source.path, destination.path) != 0 { try manager.copyItem(at: source, to: destination) }
        }
    }

    /// fsyncs every file and folder under `folder`, so what the rename publishes is on disk.
    private static func flush(_ folder: URL) throws {
        var paths = [folder.path]
        if let walk = FileManager.default.enumerator(atPath: folder.path) {
            while let relative = walk.nextObject() as? String { paths.append(folder.appendingPathComponent(relative).path) }
        }
        for path in paths.reversed() {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            guard fsync(descriptor) == 0 || errno == EINVAL else {
                throw CurateError("\(path): cannot be flushed to disk (\(String(cString: strerror(errno)))) — check the disk, then write again")
            }
        }
    }

    /// Puts `staging` at `target` in one step: exchanged with the old folder where the
    /// system can (Linux `renameat2(RENAME_EXCHANGE)`); else the old folder is moved aside
    /// first, so the target is briefly absent but never half-written.
    private static func swap(_ staging: URL, into target: URL, exists: Bool) throws {
        if exists, let exchange = renameExchange, exchange(AT_FDCWD, staging.path, AT_FDCWD, target.path, 2) == 0 { return }
        let aside = staging.appendingPathExtension("old")
        if exists { try FileManager.default.moveItem(at: target, to: aside) }
        try FileManager.default.moveItem(at: staging, to: target)
        if exists { try? FileManager.default.removeItem(at: aside) }
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `renameat2`, looked up at run time (Swift's Glibc module does not declare it).
    private static let renameExchange: RenameAt2? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()
}
