// ReportJSON.swift — one JSON style for every file SynthArm writes for machines: sorted keys,
// snake_case, non-finite numbers as strings (JSON has no NaN), a final newline.

import Foundation

enum ReportJSON {
  static func text<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
  }
}
