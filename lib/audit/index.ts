// Public API of lib/audit (re-exported by lib/index.ts).
export {};
