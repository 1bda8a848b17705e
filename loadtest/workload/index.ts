/** The reference workload generator, shared by every benchmark (see reference-workload.ts). */
export * from './reference-workload';
export * from './audience';
export * from './prng';
