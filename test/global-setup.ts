/** jest globalSetup of the whole run: the run's scratch folder (test/run-scratch-dir.ts). */
import { enterRunScratchDir } from './run-scratch-dir';

export default function globalSetup(): void {
  enterRunScratchDir();
}
