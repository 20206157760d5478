// ReportJSON.swift — one JSON style for every file SynthArm writes: sorted keys, non-finite
// numbers as strings (JSON has no NaN), a final newline. Files for people and their R or pandas
// code use snake_case keys; the cell files a run stores for itself keep Swift's names, so they
// decode exactly (snake_case does not round-trip names such as `rejectionMCSE`).

import Foundation

package enum ReportJSON {
  package static func text<T: Encodable>(_ value: T, snakeCase: Bool = true) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
  }

  /// Decodes a file written by `text(_:snakeCase: false)`.
  package static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return try decoder.decode(type, from: data)
  }
}
