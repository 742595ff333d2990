import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { isRecord } from '../kube/k8s-syntax';
import { fail } from '../policy/construct-check';

/**
 * Timing options of a health check. Every value is validated when the check is used by a workload.
 */
export interface HealthCheckOptions {
  /** Integer >= 0. @default 0 — probes start at once; use a startup delay only for slow starters */
  readonly initialDelaySeconds?: number;
  /**
   * Integer >= 1. Detects a hung container quickly without loading it.
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Integer >= 1. Tolerates a transient hiccup, restarts or unroutes a hung container within seconds.
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * Integer >= 1. A probe that takes longer counts as failed, so a wedged container is noticed.
   * @default 1
   */
  readonly timeoutSeconds?: number;
}

enum CheckKind { TCP, HTTP, HTTPS, COMMAND }

const MAX_INT32 = 2147483647;
const FIX = 'use HealthCheck.tcp(), HealthCheck.httpGet("/healthz") or HealthCheck.command(["/app", "health"]).';

/**
 * A readiness or liveness check (cdk8s-plus `Probe` style).
 */
export class HealthCheck {
  /** Open a TCP connection to the port. @param port default: the workload's port (1-65535) */
  public static tcp(port?: number, options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck(CheckKind.TCP, options, port);
  }

  /**
   * HTTP GET on a path; 2xx/3xx is healthy.
   * @param path absolute path starting with "/", e.g. `/healthz`
   * @param port default: the workload's port (1-65535)
   */
  public static httpGet(path: string, port?: number, options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck(CheckKind.HTTP, options, port, path);
  }

  /**
   * HTTPS GET on a path, for containers that serve only TLS; 2xx/3xx is healthy. The kubelet does not verify the
   * certificate (a probe checks liveness, not identity).
   * @param path absolute path starting with "/", e.g. `/healthz`
   * @param port default: the workload's port (1-65535)
   */
  public static httpsGet(path: string, port?: number, options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck(CheckKind.HTTPS, options, port, path);
  }

  /** Run a command in the container; exit 0 is healthy. @param command non-empty list of strings */
  public static command(command: string[], options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck(CheckKind.COMMAND, options, undefined, undefined, command);
  }

  private constructor(
    private readonly kind: CheckKind,
    private readonly options: HealthCheckOptions,
    private readonly port?: number,
    private readonly path?: string,
    private readonly command?: string[],
  ) {}

  /**
   * The probe JSON; throws a HardeningError (rule probes-configured) naming `scope` and `field` for an invalid check.
   * @internal
   */
  public _render(scope: IConstruct, field: string, defaultPort: number): any {
    const options: any = this.options ?? {};
    if (!isRecord(options)) fail(scope, 'probes-configured', `${field}.options`, options, 'must be an object of HealthCheckOptions.', FIX);
    const int = (name: keyof HealthCheckOptions, dflt: number, min: number): number => {
      const v = options[name] ?? dflt;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > MAX_INT32) {
        fail(scope, 'probes-configured', `${field}.${name}`, v, `must be an integer between ${min} and ${MAX_INT32}.`, `omit it for the default (${dflt}).`);
      }
      return v;
    };
    const timing = {
      initialDelaySeconds: int('initialDelaySeconds', 0, 0),
      periodSeconds: int('periodSeconds', 10, 1),
      failureThreshold: int('failureThreshold', 3, 1),
      timeoutSeconds: int('timeoutSeconds', 1, 1),
    };
    const port = this.port ?? defaultPort;
    if (this.kind !== CheckKind.COMMAND && (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)) {
      fail(scope, 'probes-configured', `${field}.port`, port, 'must be an integer port between 1 and 65535.', 'omit the port to probe the workload\'s port.');
    }
    switch (this.kind) {
      case CheckKind.TCP: return { tcpSocket: { port: k8s.IntOrString.fromNumber(port) }, ...timing };
      case CheckKind.HTTP:
      case CheckKind.HTTPS:
        if (typeof this.path !== 'string' || !/^\/\S*$/.test(this.path)) {
          fail(scope, 'probes-configured', `${field}.path`, this.path, 'must be an absolute HTTP path starting with "/" and without whitespace.', 'use e.g. HealthCheck.httpGet("/healthz").');
        }
        return { httpGet: { path: this.path, port: k8s.IntOrString.fromNumber(port), scheme: this.kind === CheckKind.HTTPS ? 'HTTPS' : 'HTTP' }, ...timing };
      default: {
        const command: unknown = this.command;
        if (!Array.isArray(command) || command.length === 0 || command.some(c => typeof c !== 'string') || command[0] === '') {
          fail(scope, 'probes-configured', `${field}.command`, command, 'must be a non-empty list of strings (the executable first).', FIX);
        }
        return { exec: { command: [...command] }, ...timing };
      }
    }
  }
}
