// RunLock.swift — one writer per run folder. Two unsharded runs into one folder would simulate
// the same cells and rename the outputs over each other; a second `syntharm run` must fail at
// once and say who holds the folder.
//
// Shards of one sweep write into one folder at the same time (Docs/Cluster.md), each its own
// cells and its own run-log-shard-I-of-N.json, and no final outputs. So the lock has two levels,
// both `flock(2)` locks, which the kernel releases when the process ends however it ends
// (a killed run leaves no lock held):
//   .syntharm.lock                 the folder: an unsharded run and `merge` hold it exclusively,
//                                  every shard holds it shared;
//   .syntharm-shard-I-of-N.lock    one shard: held exclusively by the shard that runs it.
// Shards of one sweep therefore run together, but not beside an unsharded run or a merge into
// the same folder, and no shard runs twice at once. The holder of an exclusive lock writes its
// pid, host and command into the file, so a refused run can say who holds it; the file is
// removed on exit (also on an error and on Ctrl-C). A file left by a killed run (its lock no
// longer held) is taken over with a warning.
//
// flock is advisory and, on network file systems, only as good as their lock support (NFSv4 and
// Lustre mounted with `flock` have it). Where flock is not supported at all the run continues
// without a lock, with a warning.

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why a run folder could not be locked.
public enum RunLockError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Another run holds the folder (or the shard); `holder` says who, as far as is known.
  case held(folder: String, holder: String)
  case cannotLock(folder: String, reason: String)
  /// The folder itself cannot be created or written.
  case folder(FileWriteError)

  public var description: String {
    switch self {
    case .held(let folder, let holder):
      return "\(folder) is in use by \(holder); wait for it to finish, or give another --output folder"
    case .cannotLock(let folder, let reason): return "cannot lock \(folder): \(reason)"
    case .folder(let error): return error.description
    }
  }
}

/// The lock of a run folder, held until ``release()`` or the end of the process.
public final class RunLock: @unchecked Sendable {
  /// What takes the lock: a whole run or a merge (the folder, exclusively), or one shard.
  public enum Holder: Sendable, Equatable {
    case whole(command: String)
    case shard(index: Int, count: Int)
  }

  public static let folderLockName = ".syntharm.lock"
  public static func shardLockName(index: Int, count: Int) -> String { ".syntharm-shard-\(index)-of-\(count).lock" }

  public let folder: String
  /// Said while locking: a stale lock taken over, or flock unsupported.
  public private(set) var warnings: [String] = []

  private struct Held {
    var fd: Int32
    var path: String
    var exclusive: Bool
  }
  private var held: [Held] = []
  private let mutex = NSLock()

  /// Locks `folder` (created when missing) for `holder`, or throws at once when another run holds it.
  public init(folder: String, holder: Holder) throws(RunLockError) {
    self.folder = folder
    do { try AtomicFile.checkWritableFolder(folder) } catch { throw .folder(error) }
    let folderLock = (folder as NSString).appendingPathComponent(Self.folderLockName)
    switch holder {
    case .whole(let command):
      try take(folderLock, exclusive: true, record: Self.record(command))
    case .shard(let index, let count):
      try take(folderLock, exclusive: false, record: nil)
      do {
        try take(
          (folder as NSString).appendingPathComponent(Self.shardLockName(index: index, count: count)), exclusive: true,
          record: Self.record("syntharm run --shard \(index)/\(count)"))
      } catch {
        release()
        throw error
      }
    }
    SignalCleanup.install()
    for h in held where h.exclusive { SignalCleanup.register(h.path) }
  }

  deinit { release() }

  /// Removes the lock files this run owns and releases the locks. Idempotent.
  public func release() {
    mutex.lock()
    defer { mutex.unlock() }
    for h in held.reversed() {
      if h.exclusive {
        SignalCleanup.unregister(h.path)
        Self.unlinkIfSame(h.path, fd: h.fd)
      } else if flock(h.fd, LOCK_EX | LOCK_NB) == 0 {
        // The last shard out removes the folder lock; while another holds it, it stays.
        Self.unlinkIfSame(h.path, fd: h.fd)
      }
      close(h.fd)
    }
    held.removeAll()
  }

  // MARK: - Taking one lock

  private func take(_ path: String, exclusive: Bool, record: String?) throws(RunLockError) {
    // The file may be removed by its holder between our open and our flock: then we locked a
    // file nobody else will see. Check that the path still names the file we locked, and retry.
    for _ in 0..<20 {
      let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
      guard fd >= 0 else { throw .cannotLock(folder: folder, reason: "\(path): \(errnoText(errno))") }
      if flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
        let code = errno
        close(fd)
        if code == EWOULDBLOCK || code == EAGAIN { throw .held(folder: folder, holder: holderText(path)) }
        if code == ENOLCK || code == EINVAL || code == EOPNOTSUPP || code == ENOSYS {
          warnings.append(
            "\(folder): the file system does not support locks (\(errnoText(code))); running without a lock, so make sure no other run writes into this folder"
          )
          return
        }
        throw .cannotLock(folder: folder, reason: "\(path): \(errnoText(code))")
      }
      var opened = stat()
      var named = stat()
      guard fstat(fd, &opened) == 0, lstat(path, &named) == 0, opened.st_ino == named.st_ino, opened.st_dev == named.st_dev else {
        close(fd)
        continue
      }
      // We hold it: whatever it says was left by a run that has ended.
      let previous = Self.read(fd)
      if let previous, !previous.isEmpty {
        warnings.append(
          "\(folder): taking over the stale lock \((path as NSString).lastPathComponent) of \(Self.describe(previous)), which has ended")
        if !exclusive { _ = ftruncate(fd, 0) }
      }
      if let record {
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, record, record.utf8.count, 0)
      }
      held.append(Held(fd: fd, path: path, exclusive: exclusive))
      return
    }
    throw .cannotLock(folder: folder, reason: "\(path) keeps changing; another run is starting or ending there")
  }

  /// Who holds `path` (the folder lock, or one shard's), in words.
  private func holderText(_ path: String) -> String {
    if let text = Self.read(path: path), !text.isEmpty { return Self.describe(text) }
    // The folder lock is held shared by shards, which write only their own lock files.
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    let shards = entries.filter { $0.hasPrefix(".syntharm-shard-") && $0.hasSuffix(".lock") }.sorted().compactMap { name -> String? in
      guard let text = Self.read(path: (folder as NSString).appendingPathComponent(name)), !text.isEmpty else { return nil }
      return Self.describe(text)
    }
    return shards.isEmpty ? "another syntharm run" : shards.joined(separator: "; ")
  }

  // MARK: - The record in a lock file

  static func record(_ command: String) -> String {
    let start = ISO8601DateFormatter().string(from: Date())
    return "pid=\(getpid())\nhost=\(ProcessInfo.processInfo.hostName)\ncommand=\(command)\nstarted=\(start)\n"
  }

  /// "syntharm run (pid 4242 on host node07, since 2025-…)".
  static func describe(_ record: String) -> String {
    var fields: [String: String] = [:]
    for line in record.split(separator: "\n") {
      guard let eq = line.firstIndex(of: "=") else { continue }
      fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
    }
    let who = fields["command"] ?? "another syntharm run"
    var details: [String] = []
    if let pid = fields["pid"] { details.append("pid \(pid)" + (fields["host"].map { " on host \($0)" } ?? "")) }
    if let start = fields["started"] { details.append("since \(start)") }
    return details.isEmpty ? who : "\(who) (\(details.joined(separator: ", ")))"
  }

  private static func read(_ fd: Int32) -> String? {
    var buffer = [UInt8](repeating: 0, count: 1024)
    let n = pread(fd, &buffer, buffer.count, 0)
    guard n >= 0 else { return nil }
    return String(decoding: buffer[0..<n], as: UTF8.self)
  }

  private static func read(path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    return read(fd)
  }

  private static func unlinkIfSame(_ path: String, fd: Int32) {
    var opened = stat()
    var named = stat()
    if fstat(fd, &opened) == 0, lstat(path, &named) == 0, opened.st_ino == named.st_ino, opened.st_dev == named.st_dev {
      unlink(path)
    }
  }
}

/// Removes the exclusive lock files on SIGINT, SIGTERM and SIGHUP, then dies of the signal as it
/// would have. The handler touches only preallocated C strings and calls only `unlink`,
/// `signal` and `raise`, which are async-signal-safe.
enum SignalCleanup {
  static let capacity = 8
  nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
    let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
    p.initialize(repeating: nil, count: capacity)
    return p
  }()
  private static let mutex = NSLock()
  nonisolated(unsafe) private static var installed = false

  static func install() {
    mutex.lock()
    defer { mutex.unlock() }
    guard !installed else { return }
    installed = true
    _ = slots  // initialised before any handler can run
    for sig in [SIGINT, SIGTERM, SIGHUP] {
      // A signal ignored when we started (`nohup`, a background job of a script) stays ignored.
      let previous = signal(sig, SIG_IGN)
      if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
      // A signal blocked by whoever started us (some test runners do) is unblocked here, on the
      // thread that starts the workers, so that Ctrl-C still ends the run and removes the lock.
      var set = sigset_t()
      sigemptyset(&set)
      sigaddset(&set, sig)
      pthread_sigmask(SIG_UNBLOCK, &set, nil)
      signal(sig) { sig in
        for k in 0..<SignalCleanup.capacity {
          if let path = SignalCleanup.slots[k] { unlink(path) }
        }
        signal(sig, SIG_DFL)
        raise(sig)
      }
    }
  }

  static func register(_ path: String) {
    mutex.lock()
    defer { mutex.unlock() }
    for k in 0..<capacity where slots[k] == nil {
      slots[k] = strdup(path)
      return
    }
  }

  static func unregister(_ path: String) {
    mutex.lock()
    defer { mutex.unlock() }
    for k in 0..<capacity {
      if let p = slots[k], String(cString: p) == path {
        slots[k] = nil
        free(p)
      }
    }
  }
}
