// Mocha's spec output, plus the run's totals and the failed tests' titles written as JSON to
// $MOCHA_SUMMARY_FILE so that tests/run.ts can add up several mocha runs into one "N passed, N failed"
// line and name, right above it, what failed (a CI log is often read from its end only).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const failures = [];
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test, error) => {
      const firstLine = String((error && error.message) || error).split('\n')[0];
      failures.push({ title: test.fullTitle(), file: test.file && path.relative(process.cwd(), test.file), error: firstLine.slice(0, 300) });
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.MOCHA_SUMMARY_FILE;
      if (file) {
        const { passes, pending } = runner.stats;
        fs.writeFileSync(file, JSON.stringify({ passed: passes, failed: runner.stats.failures, skipped: pending, failures }));
      }
    });
  }
}

module.exports = SummaryReporter;
