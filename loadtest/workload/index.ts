/** The reference workload generator, shared by every benchmark (see reference-workload.ts). */
export * from './reference-workload';
export * from '../../localstack/demo-traffic/audience';
export * from '../../localstack/demo-traffic/prng';
