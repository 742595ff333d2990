/**
 * Which constructs are the library's own workloads, by identity (not by shape): `expose()` routes only to them. A
 * construct that merely has a method named `_exposureTarget` — or a subclass that overrides it — cannot choose the
 * backend of an exposure: the exposure calls the library's own implementation, registered here by workload-base.ts.
 * @internal
 */
export const HARDENED_WORKLOADS = new WeakSet<object>();

/** The library's implementations, registered once by workload-base.ts (no import cycle with expose.ts). @internal */
export const WORKLOAD_IMPL: {
  exposureTarget?: (this: any, scope: any) => { serviceName: string; servicePort: number; metadata: any };
  admitController?: (this: any, peer: any) => void;
} = {};
