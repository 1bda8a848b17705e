/**
 * jest globalTeardown of the whole run, after the projects' own (the integration project stops
 * the local AWS first): fails the run if any test left a temporary folder behind.
 */
import { leaveRunScratchDir } from './run-scratch-dir';

export default function globalTeardown(): void {
  leaveRunScratchDir();
}
