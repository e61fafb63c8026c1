// tsyringe needs a Reflect metadata polyfill before it loads: core's one import with a side effect
// (package.json "sideEffects" names this file).
import 'reflect-metadata';
