/** A failed install or start-up step: names the step and tells the person what to do next. */
export class SetupError extends Error {
  override readonly name = 'SetupError';

  constructor(
    readonly step: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }

  /** The few lines printed instead of a stack trace. */
  describe(): string {
    return `Setup failed at step "${this.step}": ${this.message}\n  What to do: ${this.hint}`;
  }
}
