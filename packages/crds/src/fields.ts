import * as v from 'valibot';
import { limits } from './limits.js';

/** A bounded string, with messages a person can act on. */
export const text = (max: number) =>
  v.pipe(v.string('must be a string'), v.maxLength(max, `must be at most ${max} characters`));

/** A bounded list. */
export const list = <T extends v.GenericSchema>(item: T) =>
  v.pipe(
    v.array(item, 'must be a list'),
    v.maxLength(limits.listItems, `must have at most ${limits.listItems} items`),
  );

export const UrlSchema = v.pipe(
  v.string('must be a string'),
  v.maxLength(limits.url, `must be at most ${limits.url} characters`),
  v.regex(/^https?:\/\//, 'must be an http(s) URL'),
  v.url('must be an absolute URL'),
);
