// Public API of lib/tenancy (re-exported by lib/index.ts).
export {};
