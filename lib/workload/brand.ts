/**
 * Which constructs are the library's own workloads, by identity (not by shape): `expose()` routes only to them. A
 * construct that merely has a method named `_exposureTarget` — or a subclass that overrides it — cannot choose the
 * backend of an exposure: the exposure (workload-base.ts) calls the library's own implementation, captured when that module loads.
 * @internal
 */
export const HARDENED_WORKLOADS = new WeakSet<object>();
