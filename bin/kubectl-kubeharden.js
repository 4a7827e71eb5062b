#!/usr/bin/env node
// The kubectl plugin: kubectl finds `kubectl-kubeharden` on PATH and runs it for `kubectl kubeharden …`.
// Same CLI; help and completion name it as kubectl shows it.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv, { name: 'kubectl kubeharden' });
