// Public API of lib/network (re-exported by lib/index.ts).
export {};
