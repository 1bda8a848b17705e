// Moved to handlers/test-support/fault-injector.ts (test support, DESIGN.md section 2); this re-export
// stays only until the last importers in areas being changed now switch (CONTRACT.md, STRUCTURE).
export * from '../test-support/fault-injector';
