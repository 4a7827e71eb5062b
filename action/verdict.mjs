// The action's last step: fail the job with the scan's exit code (1 findings at or above
// fail-on, 2 an input could not be read), after the SARIF upload has run.
const code = Number(process.env.EXIT_CODE ?? '2');
if (code === 1) console.log('::error title=kubeharden::findings at or above fail-on; see the job summary and the code scanning alerts');
if (code === 2) console.log('::error title=kubeharden::an input could not be read, or the scan did not run; see the scan step');
process.exit(Number.isInteger(code) ? code : 2);
