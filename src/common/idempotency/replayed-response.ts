/**
 * Thrown to short-circuit a handler with a stored response; the exception filter sends it as
 * is: the first response's status and its very text, so that a replay is byte for byte the same.
 */
export class ReplayedResponse {
  constructor(
    readonly status: number,
    readonly text: string,
  ) {}
}
