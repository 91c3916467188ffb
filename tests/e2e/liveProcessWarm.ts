// Preloaded with `node --import tsx --import <this file>` before bin/ratchet.mjs: loads the
// live engine's modules at process start instead of after the config is read, so an engine
// started ahead of time is ready the moment it is given its config. Nothing else changes.
await import('../../src/cli/runEngine.ts');
