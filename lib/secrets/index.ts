// Public API of lib/secrets (re-exported by lib/index.ts).
export {};
