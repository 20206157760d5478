// FileDigest.swift — the SHA-256 of an input file, which ties a run's manifest and a data card to
// the exact bytes they were made from.

import Crypto
import Foundation

public enum FileDigest {
  /// The SHA-256 of a file's bytes, in lower-case hex.
  public static func sha256(ofFile path: String) throws -> String {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
  }
}
