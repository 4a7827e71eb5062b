#!/usr/bin/env node
import { cliModule } from './entry.js';

const { main } = await import(cliModule());
process.exitCode = await main(process.argv);
