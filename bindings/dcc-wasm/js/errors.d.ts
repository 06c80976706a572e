
/** One problem found in a refused payload. */
export interface ValidationIssue {
  /** Slash-separated JSON path of the field, e.g. `v/0/dn`; empty for the whole payload. */
  path: string;
  /** Stable snake_case code. */
  code: string;
  /** Explanation for people. */
  message: string;
}

/** An error of dcc-kit with a stable `code`: every function throws only these. */
export declare class DccError extends Error {
  constructor(code: DccErrorCode, message: string, issues?: ValidationIssue[]);
  /** `"DccError"`, or `"ValidationError"` for a refused payload. */
  readonly name: "DccError" | "ValidationError";
  /** The stable code, e.g. `invalid_base45`. */
  readonly code: DccErrorCode;
  /** The validation issues (empty unless `code` is `validation_failed`). */
  readonly issues: ValidationIssue[];
}

/** A payload was refused: `issues` lists every problem found. */
export declare class ValidationError extends DccError {
  readonly name: "ValidationError";
}
