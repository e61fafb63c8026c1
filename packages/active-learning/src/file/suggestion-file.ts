import { stringify } from 'csv-stringify/sync';
import type { Suggestion } from '../suggest.js';

/**
 * The suggestions as a labels file for a person to fill in: CSV with a `file,class` header and
 * the model's guess beside each image (blank when it predicts no classes). Once every `class` is filled in, the file is a labels file
 * of the same folder (image-folder's `labels`).
 */
export function suggestionCsv(suggestions: readonly Suggestion[]): string {
  return stringify(
    suggestions.map((s) => [s.file, '', s.predicted ?? '', s.confidence?.toFixed(3) ?? '']),
    { header: true, columns: ['file', 'class', 'predicted', 'confidence'] },
  );
}
