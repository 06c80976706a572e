// The error classes of dcc-kit. Every failure is thrown as a DccError (a real Error with a stack)
// whose `code` is one of the stable snake_case codes shared by every dcc-kit binding; a payload
// refused by the validator is a ValidationError with the `issues` found.
// Single source: the build writes this file as errors.js (ESM) and errors.cjs (CommonJS).

/** An error of dcc-kit with a stable `code` (see `errorCodes()`). */
export class DccError extends Error {
  /**
   * @param {string} code stable snake_case code
   * @param {string} message explanation for people
   * @param {{path: string, code: string, message: string}[]} [issues] validation issues
   */
  constructor(code, message, issues = []) {
    super(message);
    this.name = 'DccError';
    /** The stable code, e.g. `invalid_base45`. */
    this.code = code;
    /** The validation issues (empty unless `code` is `validation_failed`). */
    this.issues = issues;
  }
}

/** A payload was refused: `issues` lists every problem with its path, code and message. */
export class ValidationError extends DccError {
  constructor(code, message, issues = []) {
    super(code, message, issues);
    this.name = 'ValidationError';
  }
}

/** Builds the error for the WebAssembly module (installed by the package entry points). */
export function makeError(className, code, message, issues) {
  return className === 'ValidationError'
    ? new ValidationError(code, message, issues)
    : new DccError(code, message, issues);
}
