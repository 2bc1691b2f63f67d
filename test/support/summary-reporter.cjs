// Spec output plus one plain closing line, "N passed, N failed", that CI reads
// (also written to test-results/summary.txt so .ci/run can print it last).
const fs = require('node:fs');
const path = require('node:path');
const { Spec } = require('mocha').reporters;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    runner.on('pass', () => { passed += 1; });
    runner.on('fail', () => { failed += 1; });
    runner.once('end', () => {
      const line = `${passed} passed, ${failed} failed`;
      fs.mkdirSync('test-results', { recursive: true });
      fs.writeFileSync(path.join('test-results', 'summary.txt'), line + '\n');
      process.stdout.write('\n' + line + '\n');
    });
  }
}
module.exports = SummaryReporter;
