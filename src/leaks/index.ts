/**
 * `concurrency-kit/leaks`: a leak detector for tests, after Go's goleak. {@link createLeakDetector} for one
 * test at a time, {@link expectNoLeaks} around a function, {@link installLeakHooks} for every test of a vitest
 * run (or the ready-made setup file `concurrency-kit/leaks/setup`).
 *
 * @packageDocumentation
 */
export {
  createLeakDetector,
  expectNoLeaks,
  resolveLeakDetectorOptions,
  graceSchedule,
  describeLeaks,
  DEFAULT_LEAK_DETECTOR_OPTIONS,
  LEAK_KINDS,
  TEST_FILE,
  LeakError,
  LeakConfigError,
  LeakDetectorStateError,
  type Leak,
  type LeakKind,
  type LeakDetector,
  type LeakDetectorOptions,
  type ResolvedLeakDetectorOptions,
  type IncludeFilter,
} from './detector.js';
export {
  installLeakHooks,
  leakHooksOptionsFromEnv,
  LEAK_ENV,
  type LeakHooksApi,
  type LeakHooksOptions,
  type LeakReportLine,
  type LeakTestContext,
  type LeakSuite,
} from './vitest.js';
