// Tags.swift — tests are organised by where the expected value comes from (Docs/Architecture.md, tests).

import Testing

extension Tag {
  /// Obvious properties, special values, edge cases.
  @Tag public static var unit: Self
  /// Published or hand-derived closed forms, or frozen R / rpact reference output.
  @Tag public static var validation: Self
  /// A deliberately naive second implementation fed the same inputs.
  @Tag public static var doubleProgramming: Self
  /// A large seeded simulation judged within k × Monte Carlo SE.
  @Tag public static var statistical: Self
  /// Inputs that once broke, or could break, a fitter; and consistency with earlier output.
  @Tag public static var regression: Self
}
