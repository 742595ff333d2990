// Public API of lib/workload (re-exported by lib/index.ts).
export {};
