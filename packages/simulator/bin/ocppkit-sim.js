#!/usr/bin/env node
// A committed entry point, so npm links the bin at install time; the code is built into dist/.
import '../dist/src/cli.js';
