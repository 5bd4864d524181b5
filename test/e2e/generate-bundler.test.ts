/** End to end: every pattern generated into a bundler-resolution project, then its tsc and verify (see the helper). */
import { describeGenerateAndVerify, FLAVOURS } from '../helpers/generate-and-verify.js';

describeGenerateAndVerify(FLAVOURS.bundler);
