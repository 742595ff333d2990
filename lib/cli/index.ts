// Public API of lib/cli (re-exported by lib/index.ts).
export {};
