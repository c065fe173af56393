// Loaded with --import into a bridge under test: every module it loads through import (an ESM file, or the entry
// file of a CommonJS package) is appended to the file named by RECORD_LOADS, one URL a line.
import { register } from 'node:module';

if (process.env.RECORD_LOADS) register(new URL('./record-loads-hooks.mjs', import.meta.url), { data: process.env.RECORD_LOADS });
