import { k8s } from 'cdk8s-plus-28';

/**
 * Timing options of a health check.
 */
export interface HealthCheckOptions {
  /** @default 0 — probes start at once; use a startup delay only for slow starters */
  readonly initialDelaySeconds?: number;
  /** @default 10 */
  readonly periodSeconds?: number;
  /** @default 3 */
  readonly failureThreshold?: number;
  /** @default 1 */
  readonly timeoutSeconds?: number;
}

enum CheckKind { TCP, HTTP, COMMAND }

/**
 * A readiness or liveness check (cdk8s-plus `Probe` style).
 */
export class HealthCheck {
  /** Open a TCP connection to the port. @param port default: the workload's port */
  public static tcp(port?: number, options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck(CheckKind.TCP, options, port);
  }

  /** HTTP GET on a path; 2xx/3xx is healthy. @param port default: the workload's port */
  public static httpGet(path: string, port?: number, options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck(CheckKind.HTTP, options, port, path);
  }

  /** Run a command in the container; exit 0 is healthy. */
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

  /** @internal */
  public _render(defaultPort: number): any {
    const timing = {
      initialDelaySeconds: this.options.initialDelaySeconds ?? 0,
      periodSeconds: this.options.periodSeconds ?? 10,
      failureThreshold: this.options.failureThreshold ?? 3,
      timeoutSeconds: this.options.timeoutSeconds ?? 1,
    };
    switch (this.kind) {
      case CheckKind.TCP: return { tcpSocket: { port: k8s.IntOrString.fromNumber(this.port ?? defaultPort) }, ...timing };
      case CheckKind.HTTP: return { httpGet: { path: this.path, port: k8s.IntOrString.fromNumber(this.port ?? defaultPort), scheme: 'HTTP' }, ...timing };
      default: return { exec: { command: [...(this.command ?? [])] }, ...timing };
    }
  }
}
