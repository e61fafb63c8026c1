/**
 * An error caused by what the user gave us (a recipe, a file, a flag), as opposed to a bug or a
 * failure while running. The CLI exits with code 2 for these and prints only the message.
 */
export class FrugalInputError extends Error {
  override readonly name = 'FrugalInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isInputError(error: unknown): error is FrugalInputError {
  return error instanceof Error && error.name === 'FrugalInputError';
}
