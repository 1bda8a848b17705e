// Prints the slowest test files (where the suite's time goes; it must stay under 10 minutes on
// 2 cores) and one plain closing line ("jest: N passed, N failed, N skipped") that CI reads.
const SLOWEST_SHOWN = 15;

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((file) => ({
        path: file.testFilePath.replace(`${process.cwd()}/`, ''),
        seconds: (file.perfStats.end - file.perfStats.start) / 1000,
      }))
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, SLOWEST_SHOWN);
    if (files.length > 0) {
      process.stdout.write(`\nslowest test files:\n`);
      for (const file of files) {
        process.stdout.write(`  ${file.seconds.toFixed(1).padStart(6)} s  ${file.path}\n`);
      }
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `\njest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
