import { FrugalInputError } from '@frugal/core';

/** Bad command-line input: exit code 2. */
export class UsageError extends FrugalInputError {}
