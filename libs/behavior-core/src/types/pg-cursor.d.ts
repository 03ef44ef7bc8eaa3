// pg-cursor ships no types; this is the part of its API the data provider uses.
declare module 'pg-cursor' {
  import type { Submittable } from 'pg';

  class Cursor<Row = Record<string, unknown>> implements Submittable {
    constructor(text: string, values?: readonly unknown[], config?: { rowMode?: 'array' });
    submit: Submittable['submit'];
    read(rows: number): Promise<Row[]>;
    close(): Promise<void>;
  }
  export default Cursor;
}
