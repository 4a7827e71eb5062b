#!/usr/bin/env node
// The kubectl plugin: kubectl finds `kubectl-kubeharden` on PATH and runs it for `kubectl kubeharden …`.
// Same CLI; help and completion name it as kubectl shows it.
import { cliModule } from './entry.js';

const { main } = await import(cliModule());
process.exitCode = await main(process.argv, { name: 'kubectl kubeharden' });
