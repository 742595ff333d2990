import { withoutLibraryFrames } from './user-frames';

/**
 * Details of a construct-time hardening violation.
 */
export interface HardeningErrorDetails {
  /** Construct path of the offending construct (e.g. `prod/api`). */
  readonly path: string;
  /** The prop or field that holds the bad value (e.g. `props.replicas`). */
  readonly field: string;
  /** The bad value, as given. */
  readonly value: unknown;
  /** Catalogue rule id that the value would violate. */
  readonly ruleId: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/**
 * Thrown at construct time when a prop would produce an insecure or invalid object.
 *
 * The message always names the construct path, the field, the bad value, the rule id and the fix.
 * Not part of the jsii API (jsii cannot export Error subclasses): TypeScript users import it from
 * `cdk8s-hardened/build/lib/policy/errors` or test `err.name === 'HardeningError'`.
 */
export class HardeningError extends Error {
  public readonly path: string;
  public readonly field: string;
  public readonly value: unknown;
  public readonly ruleId: string;
  public readonly fix: string;

  constructor(details: HardeningErrorDetails) {
    super(
      `[${details.path}] ${details.field}=${formatValue(details.value)} violates ${details.ruleId}: ` +
      `${details.message} Fix: ${details.fix}`,
    );
    this.name = 'HardeningError';
    this.path = details.path;
    this.field = details.field;
    this.value = details.value;
    this.ruleId = details.ruleId;
    this.fix = details.fix;
    // The message already names them: as own enumerable properties, Node would print them a second time after the
    // stack (an uncaught error, console.log(err)). They stay readable (err.ruleId) but are not enumerated.
    for (const key of ['name', 'path', 'field', 'value', 'ruleId', 'fix']) Object.defineProperty(this, key, { enumerable: false });
    Object.setPrototypeOf(this, HardeningError.prototype);
    // No stack frames inside this library: the message, and the line of the user's code that made the construct.
    withoutLibraryFrames(this, details.path || 'construct');
  }
}

export function formatValue(value: unknown): string {
  if (value === undefined) return '<unset>';
  try {
    const s = JSON.stringify(value);
    if (s === undefined) return String(value);
    return s.length > 120 ? s.slice(0, 117) + '...' : s;
  } catch {
    return String(value);
  }
}
