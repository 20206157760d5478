// AtomicFile.swift — every file SynthArm writes goes through here: written whole beside its
// final name and renamed over it, and only over a regular file or nothing. A rename replaces
// whatever sits at the path, so the target is checked first (`lstat`): a FIFO, a symbolic link,
// a device (/dev/null, when running as root), a socket or a folder is refused with its path and
// nothing is written. File errors are told in plain words with the path, never as Foundation's
// "NSCocoaErrorDomain error 512".

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file or folder SynthArm could not, or would not, write.
public enum FileWriteError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Something other than a regular file sits at the path (a FIFO, a link, a device …).
  case notARegularFile(path: String, kind: String)
  /// The file could not be written (the reason in plain words).
  case cannotWrite(path: String, reason: String)
  /// The folder could not be created or is not a folder.
  case cannotCreateFolder(path: String, reason: String)
  /// A computed path would leave the folder it belongs in (defence in depth behind safe ids).
  case outsideFolder(path: String, folder: String)

  public var description: String {
    switch self {
    case .notARegularFile(let path, let kind):
      return
        "refusing to write \(path): it is \(kind), not a regular file; SynthArm replaces only regular files (remove it or choose another path)"
    case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
    case .cannotCreateFolder(let path, let reason): return "cannot create the folder \(path): \(reason)"
    case .outsideFolder(let path, let folder): return "refusing to write \(path): it lies outside the output folder \(folder)"
    }
  }
}

/// Files written whole or not at all, and only over regular files.
public enum AtomicFile {
  /// Writes `text` to a temporary file beside `path` and renames it over `path` (atomic on POSIX
  /// file systems): readers see the old file or the new one, never part of one. Creates the
  /// folder when it is missing.
  /// - Throws: ``FileWriteError`` when the target exists and is not a regular file, or when the
  ///   folder or the file cannot be written; nothing is left behind then.
  public static func write(_ text: String, to path: String) throws(FileWriteError) {
    try checkTarget(path)
    let folder = Self.folder(of: path)
    try createFolder(folder)
    let temporary = (folder as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).tmp-\(getpid())-\(nextSerial())")
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
    guard fd >= 0 else { throw .cannotWrite(path: path, reason: errnoText(errno)) }
    var failure: Int32 = 0
    var bytes = Array(text.utf8)
    bytes.withUnsafeMutableBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        #if canImport(Darwin)
          let n = Darwin.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        #else
          let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        #endif
        if n < 0 {
          if errno == EINTR { continue }
          failure = errno
          return
        }
        offset += n
      }
    }
    if failure == 0 && fsync(fd) != 0 && errno != EINVAL { failure = errno }
    if close(fd) != 0 && failure == 0 { failure = errno }
    if failure != 0 {
      unlink(temporary)
      throw .cannotWrite(path: path, reason: errnoText(failure))
    }
    // Checked again just before the rename: the target may have changed while we wrote.
    do { try checkTarget(path) } catch {
      unlink(temporary)
      throw error
    }
    guard rename(temporary, path) == 0 else {
      let reason = errnoText(errno)
      unlink(temporary)
      throw .cannotWrite(path: path, reason: reason)
    }
  }

  /// Throws unless `path` is absent or a regular file (a symbolic link is refused even when it
  /// points at one: the rename would replace the link, not what it points at).
  public static func checkTarget(_ path: String) throws(FileWriteError) {
    var info = stat()
    if lstat(path, &info) != 0 {
      switch errno {
      case ENOENT: return
      case ENOTDIR: throw .cannotWrite(path: path, reason: "a part of the path is a file, not a folder")
      default: throw .cannotWrite(path: path, reason: errnoText(errno))
      }
    }
    if let kind = kind(info.st_mode) { throw .notARegularFile(path: path, kind: kind) }
  }

  /// Creates `folder` and its missing parents; throws when a part of it is not a folder or
  /// cannot be created. A symbolic link to a folder is accepted as a folder.
  public static func createFolder(_ folder: String) throws(FileWriteError) {
    let path = folder.isEmpty ? "." : folder
    var info = stat()
    if stat(path, &info) == 0 {
      guard (info.st_mode & S_IFMT) == S_IFDIR else {
        throw .cannotCreateFolder(path: path, reason: "\(kind(info.st_mode) ?? "a file") is in the way")
      }
      return
    }
    if errno != ENOENT { throw .cannotCreateFolder(path: path, reason: errnoText(errno)) }
    let above = Self.folder(of: path)
    if above != path { try createFolder(above) }
    if mkdir(path, 0o777) != 0 && errno != EEXIST { throw .cannotCreateFolder(path: path, reason: errnoText(errno)) }
  }

  /// Throws unless `folder` exists (or can be created) and this process may create files in it.
  public static func checkWritableFolder(_ folder: String) throws(FileWriteError) {
    try createFolder(folder)
    if access(folder.isEmpty ? "." : folder, W_OK | X_OK) != 0 {
      throw .cannotCreateFolder(path: folder, reason: "no permission to create files in it (\(errnoText(errno)))")
    }
  }

  /// Throws unless `file` lies inside `folder`, judged on the paths with `.` and `..` resolved.
  public static func checkInside(_ file: String, folder: String) throws(FileWriteError) {
    let f = URL(fileURLWithPath: file).standardizedFileURL.path
    var d = URL(fileURLWithPath: folder).standardizedFileURL.path
    if !d.hasSuffix("/") { d += "/" }
    guard f.hasPrefix(d) && f.count > d.count else { throw .outsideFolder(path: file, folder: folder) }
  }

  /// What sits at a path, in words, when it is not a regular file.
  static func kind(_ mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: return nil
    case S_IFIFO: return "a FIFO (named pipe)"
    case S_IFLNK: return "a symbolic link"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFSOCK: return "a socket"
    case S_IFDIR: return "a folder"
    default: return "not a regular file"
    }
  }

  public static func folder(of path: String) -> String {
    let p = (path as NSString).deletingLastPathComponent
    return p.isEmpty ? "." : p
  }

  private static let serial = SerialCounter()
  private static func nextSerial() -> Int { serial.next() }
}

/// A counter for temporary file names (several threads may write at once).
private final class SerialCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0
  func next() -> Int {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
  }
}

/// `strerror`, in lower case as our messages are ("permission denied").
public func errnoText(_ code: Int32) -> String {
  let text = String(cString: strerror(code))
  return text.prefix(1).lowercased() + text.dropFirst()
}

/// File errors in plain words: Foundation's errors on Linux print as "The operation could not
/// be completed. (NSCocoaErrorDomain error 512.)"; this finds the POSIX error underneath, or
/// names the common cases.
public enum FileErrorText {
  public static func plain(_ error: any Error) -> String {
    if let e = error as? FileWriteError { return e.description }
    let ns = error as NSError
    if ns.domain == NSPOSIXErrorDomain { return errnoText(Int32(ns.code)) }
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return errnoText(Int32(underlying.code))
    }
    if ns.domain == NSCocoaErrorDomain {
      switch CocoaError.Code(rawValue: ns.code) {
      case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file"
      case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
      case .fileReadCorruptFile: return "the file is damaged or not in the expected format"
      case .fileReadInapplicableStringEncoding: return "the file is not UTF-8 text"
      case .fileWriteOutOfSpace: return "no space left on the device"
      case .fileWriteVolumeReadOnly: return "the file system is read-only"
      case .fileWriteFileExists: return "the file exists"
      default: return "file error \(ns.code)"
      }
    }
    if let d = error as? DecodingError { return decodingText(d) }
    return "\(error)"
  }

  /// A JSON decoding error as "key a.b.c: what was wrong".
  static func decodingText(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
      return keys.isEmpty ? "" : " at \(keys)"
    }
    switch error {
    case .dataCorrupted(let c): return "not valid JSON\(path(c))"
    case .keyNotFound(let key, let c): return "missing key '\(key.stringValue)'\(path(c))"
    case .typeMismatch(_, let c), .valueNotFound(_, let c): return "unexpected value\(path(c)): \(c.debugDescription)"
    @unknown default: return "\(error)"
    }
  }
}
