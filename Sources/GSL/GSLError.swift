// GSLError.swift — the one funnel through which GSL status codes become Swift errors.

@preconcurrency internal import CGSL

/// A failure reported by a GNU Scientific Library routine.
///
/// GSL reports failures through `int` status codes (see `gsl_errno.h`). SynthArm never uses
/// GSL's default error handler, which prints and calls `abort()`; see ``gslErrorHandlerDisabled``.
public struct GSLError: Error, Hashable, CustomStringConvertible, Sendable {
  /// The raw GSL status code; never `GSL_SUCCESS` (0).
  public let code: Int32
  /// The GSL routine that failed, for example `"gsl_linalg_cholesky_decomp1"`.
  public let routine: String

  public init(code: Int32, routine: String) {
    self.code = code
    self.routine = routine
  }

  /// `GSL_EDOM`: the input lies outside the routine's domain (e.g. a matrix that is not
  /// positive definite given to a Cholesky factorization).
  public static let domainErrorCode: Int32 = 1

  public var description: String {
    "\(routine) failed: \(String(cString: gsl_strerror(code))) (GSL status \(code))"
  }
}

/// Switches GSL's abort-on-error handler off for the whole process.
///
/// GSL keeps the handler in one global. A Swift global initializer runs exactly once and is
/// thread-safe, so every wrapper that calls into GSL touches this value first; after that, every
/// routine reports failure by its return status, which ``check(_:_:)`` turns into a ``GSLError``.
let gslErrorHandlerDisabled: Void = { _ = gsl_set_error_handler_off() }()

/// Throws when `status` is not `GSL_SUCCESS`. The only place that reads GSL status codes.
@inline(__always)
func check(_ status: Int32, _ routine: StaticString) throws(GSLError) {
  guard status == 0 else { throw GSLError(code: status, routine: "\(routine)") }
}
