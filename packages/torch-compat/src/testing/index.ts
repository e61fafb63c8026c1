// Helpers for the tests of model families (`@frugal/torch-compat/testing`): where the PyTorch
// parity fixtures are, and how to read and compare them.
export { findTorchFixtures, fixtureModels, fixtureDirs, readFixtureIO, relativeError, FIXTURES_HINT } from './torch-fixtures.js';
export type { TorchFixture } from './torch-fixtures.js';
