// Mocha's spec output, plus the run's totals written as JSON to $MOCHA_SUMMARY_FILE so that
// tests/run.ts can add up several mocha runs into one "N passed, N failed" line.
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.MOCHA_SUMMARY_FILE;
      if (file) {
        const { passes, failures, pending } = runner.stats;
        fs.writeFileSync(file, JSON.stringify({ passed: passes, failed: failures, skipped: pending }));
      }
    });
  }
}

module.exports = SummaryReporter;
