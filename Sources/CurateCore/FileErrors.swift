import Foundation

/// Foundation's file errors as `path: what happened — what to do`, instead of
/// `The operation could not be completed (NSCocoaErrorDomain error 640.)`.
public enum FileErrors {
    /// A `CurateError` for Foundation file errors; any other error is returned as it is.
    public static func explain(_ error: Error) -> Error {
        guard let error = error as? CocoaError else { return error }
        return CurateError(explain(error))
    }

    public static func explain(_ error: CocoaError) -> String {
        let path = error.filePath ?? error.url?.path ?? "a file"
        let errno = (error.underlying as? POSIXError)?.code
        switch error.code {
        case .fileWriteOutOfSpace:
            return "\(path): the disk is full — free some space or write to another disk (--out, --store); nothing half-written was kept"
        case .fileWriteNoPermission, .fileReadNoPermission:
            return "\(path): permission denied — check the file's and its folder's permissions, or choose another path"
        case .fileNoSuchFile, .fileReadNoSuchFile:
            return "\(path): no such file or folder — check the path"
        case .fileWriteVolumeReadOnly:
            return "\(path): the disk is read-only — write somewhere else"
        case .fileReadUnknown where errno == .EISDIR, .fileReadInvalidFileName where errno == .EISDIR:
            return "\(path): is a folder, not a file — pass the files inside it"
        default:
            if errno == .ENOSPC { return "\(path): the disk is full — free some space or write to another disk (--out, --store)" }
            if errno == .EISDIR { return "\(path): is a folder, not a file — pass the files inside it" }
            let reason = errno.map { String(cString: strerror($0.rawValue)) } ?? "file error \(error.code.rawValue)"
            return "\(path): \(reason) — check the path, its permissions and the free space on its disk"
        }
    }
}
