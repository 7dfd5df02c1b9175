#!/usr/bin/env node
import { runSigningCli } from './signingCli.js';

process.exitCode = await runSigningCli(process.argv.slice(2));
